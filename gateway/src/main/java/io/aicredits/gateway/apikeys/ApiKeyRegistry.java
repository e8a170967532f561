package io.aicredits.gateway.apikeys;

import io.aicredits.gateway.kafka.KafkaClientProperties;
import io.aicredits.events.ApiKey;
import io.aicredits.gateway.kafka.CompactedTopicReader;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API keys known to this instance: every record of the compacted {@code ai.api-keys} topic,
 * indexed by key id and by the SHA-256 of the secret. A created or revoked key takes effect here
 * once its record has been read.
 */
public class ApiKeyRegistry implements AutoCloseable {

    private final AvroSerde<ApiKey> serde = AvroSerdes.apiKey();
    private final Map<String, ApiKey> byId = new ConcurrentHashMap<>();
    private final Map<String, ApiKey> bySecretHash = new ConcurrentHashMap<>();
    private final CompactedTopicReader reader;

    ApiKeyRegistry(KafkaClientProperties kafka, String clientId) {
        this.reader = new CompactedTopicReader(kafka, Topics.API_KEYS.name(), clientId, this::apply);
    }

    private void apply(String keyId, byte[] value) {
        ApiKey previous = value == null ? byId.remove(keyId) : null;
        if (previous != null) {
            bySecretHash.remove(previous.getSecretSha256());
        }
        if (value == null) {
            return;
        }
        ApiKey key = serde.decode(Topics.API_KEYS.name(), value);
        byId.put(key.getKeyId(), key);
        bySecretHash.put(key.getSecretSha256(), key);
    }

    /** The key whose secret this is, unless unknown or revoked. */
    public Optional<ApiKey> authenticate(String secret) {
        ApiKey key = bySecretHash.get(sha256(secret));
        return key == null || key.getRevokedAt() != null ? Optional.empty() : Optional.of(key);
    }

    Optional<ApiKey> byId(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    Collection<ApiKey> all() {
        return byId.values();
    }

    /** Lower-case hex SHA-256 of the secret's UTF-8 bytes: all that is ever stored of it. */
    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public void close() {
        reader.close();
    }
}
