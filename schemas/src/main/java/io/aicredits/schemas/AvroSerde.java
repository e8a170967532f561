package io.aicredits.schemas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for a generated Avro class using Avro's single-object encoding: a two-byte marker
 * {@code C3 01}, the 8-byte CRC-64-AVRO fingerprint of the writer schema, then the binary body.
 * Decoding resolves the fingerprint against every released version of the schema
 * ({@link ReleasedSchemas}) and projects the data onto the current class.
 *
 * <p>Thread-safe: Avro's encoder and decoder keep their buffers per thread.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroSerde(Class<T> type) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        Schema schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema, ReleasedSchemas.store());
    }

    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type);
    }

    public Class<T> type() {
        return type;
    }

    /** Encodes an event; a null event (a tombstone) stays null. */
    public byte[] encode(T event) {
        if (event == null) {
            return null;
        }
        try {
            ByteBuffer buffer = encoder.encode(event);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode " + type.getSimpleName(), e);
        }
    }

    /**
     * Decodes a single-object-encoded event.
     *
     * @throws EventDecodingException naming {@code topic} when the bytes are not such an event
     */
    public T decode(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return decoder.decode(data);
        } catch (MissingSchemaException e) {
            throw new EventDecodingException(topic,
                    "unknown schema fingerprint for " + type.getSimpleName()
                            + " (not a released version of this event): " + e.getMessage(), e);
        } catch (BadHeaderException e) {
            throw new EventDecodingException(topic,
                    "not Avro single-object encoding for " + type.getSimpleName() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // A corrupt body surfaces as EOF, AvroRuntimeException, index or size errors: all mean the same here.
            throw new EventDecodingException(topic,
                    "corrupt " + type.getSimpleName() + " body: " + e, e);
        }
    }

    @Override
    public byte[] serialize(String topic, T data) {
        return encode(data);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return decode(topic, data);
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Nothing to configure: the schema store is built into the module.
    }

    @Override
    public void close() {
        // Stateless: nothing to release. Overridden because Serde, Serializer and Deserializer all declare close().
    }
}
