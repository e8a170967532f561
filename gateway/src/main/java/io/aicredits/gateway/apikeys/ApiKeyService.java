package io.aicredits.gateway.apikeys;

import io.aicredits.events.ApiKey;
import io.aicredits.gateway.security.Caller;
import io.aicredits.gateway.web.ApiException;
import io.aicredits.schemas.AvroSerde;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.Topics;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import io.aicredits.gateway.kafka.RecordPublisher;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;

/**
 * Creates and revokes API keys: each change is a record on {@code ai.api-keys}, answered once this
 * instance has read it back (so the key works here as soon as the admin has it). A secret is
 * {@value #SECRET_PREFIX} plus 32 random bytes (base64url), returned once and stored only as its SHA-256.
 */
public class ApiKeyService {

    public static final String SECRET_PREFIX = "sk-aic-";
    private static final int SHOWN_PREFIX = SECRET_PREFIX.length() + 6;
    private static final Pattern USER_ID = Pattern.compile("[^\\s]{1,128}");

    private final ApiKeyRegistry registry;
    private final RecordPublisher publisher;
    private final Duration applyTimeout;
    private final Clock clock;
    private final AvroSerde<ApiKey> serde = AvroSerdes.apiKey();
    private final SecureRandom random = new SecureRandom();

    ApiKeyService(ApiKeyRegistry registry, RecordPublisher publisher, Duration applyTimeout, Clock clock) {
        this.registry = registry;
        this.publisher = publisher;
        this.applyTimeout = applyTimeout;
        this.clock = clock;
    }

    /** A new key and its secret (the only time the secret is shown). */
    record Created(ApiKey key, String secret) {
    }

    Mono<Created> create(Caller admin, String userId, String name) {
        if (userId == null || !USER_ID.matcher(userId).matches()) {
            return Mono.error(ApiException.badRequest("user_id is required: 1-128 characters without spaces"));
        }
        if (name != null && name.length() > 200) {
            return Mono.error(ApiException.badRequest("name must be at most 200 characters"));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ApiKey key = ApiKey.newBuilder()
                .setKeyId("key-" + UUID.randomUUID())
                .setUserId(userId)
                .setSecretSha256(ApiKeyRegistry.sha256(secret))
                .setPrefix(secret.substring(0, SHOWN_PREFIX))
                .setName(name)
                .setCreatedBy(admin.userId())
                .setCreatedAt(clock.instant())
                .build();
        return publish(key)
                .then(awaitApplied(key.getKeyId(), known -> true))
                .thenReturn(new Created(key, secret));
    }

    Mono<ApiKey> revoke(Caller admin, String keyId) {
        ApiKey key = registry.byId(keyId).orElseThrow(() -> ApiException.notFound("No API key " + keyId));
        if (key.getRevokedAt() != null) {
            return Mono.just(key);
        }
        Instant now = clock.instant();
        ApiKey revoked = ApiKey.newBuilder(key).setRevokedAt(now).setRevokedBy(admin.userId()).build();
        return publish(revoked).then(awaitApplied(keyId, known -> known.getRevokedAt() != null));
    }

    /** Every key, newest first, optionally of one user. */
    List<ApiKey> list(String userId) {
        return registry.all().stream()
                .filter(key -> userId == null || key.getUserId().equals(userId))
                .sorted(Comparator.comparing(ApiKey::getCreatedAt).reversed().thenComparing(ApiKey::getKeyId))
                .toList();
    }

    private Mono<Void> publish(ApiKey key) {
        return publisher.publish(Topics.API_KEYS.name(), key.getKeyId(), serde.encode(key));
    }

    private Mono<ApiKey> awaitApplied(String keyId, Predicate<ApiKey> applied) {
        return Mono.fromSupplier(() -> registry.byId(keyId).filter(applied))
                .flatMap(Mono::justOrEmpty)
                .repeatWhenEmpty(attempts -> attempts.delayElements(Duration.ofMillis(50)))
                .timeout(applyTimeout)
                .onErrorMap(java.util.concurrent.TimeoutException.class, e -> new ApiException(HttpStatus.GATEWAY_TIMEOUT,
                        "API key " + keyId + " was stored but not read back within " + applyTimeout, e));
    }
}
