package io.aicredits.schemas;

import static io.aicredits.schemas.EventFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aicredits.events.UsageEvent;
import io.aicredits.events.UsageStatus;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeTest {

    static Stream<Arguments> everyEventType() {
        return Stream.of(
                Arguments.of(Topics.AI_REQUESTS.valueSerde(), EventFixtures.imageRequest()),
                Arguments.of(Topics.AI_DECISIONS.valueSerde(), EventFixtures.rejection()),
                Arguments.of(Topics.AI_USAGE.valueSerde(), EventFixtures.textUsage()),
                Arguments.of(Topics.CREDIT_COMMANDS.valueSerde(), EventFixtures.topUp()),
                Arguments.of(Topics.CREDIT_COMMANDS.valueSerde(), EventFixtures.adjustment()),
                Arguments.of(Topics.CREDIT_COMMANDS.valueSerde(), EventFixtures.periodOpenedCommand()),
                Arguments.of(AvroSerdes.periodOpened(), EventFixtures.periodOpened()),
                Arguments.of(Topics.CREDIT_LEDGER.valueSerde(), EventFixtures.debit()),
                Arguments.of(Topics.CREDIT_PRICES.valueSerde(), EventFixtures.upscalePrice()),
                Arguments.of(Topics.AI_SETTINGS.valueSerde(), EventFixtures.tokenLimitChange()),
                Arguments.of(Topics.AI_ALERTS.valueSerde(), EventFixtures.budgetAlert()));
    }

    @ParameterizedTest
    @MethodSource("everyEventType")
    <T extends SpecificRecord> void shouldRoundTripEveryEventType(org.apache.kafka.common.serialization.Serde<T> serde, T event) {
        byte[] bytes = serde.serializer().serialize("some.topic", event);

        assertThat(bytes[0]).as("single-object marker").isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(ByteBuffer.wrap(bytes, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong())
                .as("writer fingerprint").isEqualTo(ReleasedSchemas.fingerprint(event.getSchema()));
        assertThat(serde.deserializer().deserialize("some.topic", bytes)).isEqualTo(event);
    }

    @Test
    void shouldKeepTombstonesNull() {
        assertThat(Topics.CREDIT_PRICES.valueSerde().serializer().serialize("credit.prices", null)).isNull();
        assertThat(Topics.CREDIT_PRICES.valueSerde().deserializer().deserialize("credit.prices", null)).isNull();
    }

    @Test
    void shouldDecodeUsageWrittenWithFirstReleasedVersion() throws Exception {
        // Given a producer still on UsageEvent v1 (before credits_charged, error, latency_ms and metadata)
        Schema v1 = ReleasedSchemas.versionsOf(UsageEvent.getClassSchema().getFullName()).get(0);
        assertThat(v1.getField("latency_ms")).isNull();
        GenericRecord old = new GenericData.Record(v1);
        old.put("id", "usage-old");
        old.put("request_id", "req-old");
        old.put("user_id", "user-7");
        old.put("model", "gpt-4o");
        old.put("operation_type", "ai_summary");
        old.put("pool", null);
        old.put("status", new GenericData.EnumSymbol(v1.getField("status").schema(), "SUCCEEDED"));
        old.put("tokens_input", 2000L);
        old.put("tokens_output", 800L);
        old.put("images", 0);
        old.put("audio_seconds", 0L);
        old.put("cost_usd_nanos", 14_000_000L);
        old.put("created_at", NOW.toEpochMilli());
        ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);
        byte[] bytes = Arrays.copyOfRange(encoded.array(), encoded.arrayOffset(), encoded.arrayOffset() + encoded.remaining());

        // When the current consumer decodes it
        UsageEvent decoded = Topics.AI_USAGE.valueSerde().deserializer().deserialize("ai.usage", bytes);

        // Then the old fields arrive and the new ones take their defaults
        assertThat(decoded.getId()).isEqualTo("usage-old");
        assertThat(decoded.getStatus()).isEqualTo(UsageStatus.SUCCEEDED);
        assertThat(decoded.getTokensInput()).isEqualTo(2000L);
        assertThat(decoded.getCostUsdNanos()).isEqualTo(14_000_000L);
        assertThat(decoded.getCreatedAt()).isEqualTo(NOW);
        assertThat(decoded.getLatencyMs()).isZero();
        assertThat(decoded.getCreditsCharged()).isNull();
        assertThat(decoded.getMetadata()).isEmpty();
    }

    @Test
    void shouldNameTopicAndCauseOnUnknownFingerprint() {
        Schema unreleased = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"UsageEvent\",\"namespace\":\"io.aicredits.events\","
                        + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
        GenericRecord record = new GenericData.Record(unreleased);
        record.put("id", "x");
        byte[] bytes = encode(unreleased, record);

        assertThatThrownBy(() -> Topics.AI_USAGE.valueSerde().deserializer().deserialize("ai.usage", bytes))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("'ai.usage'")
                .hasMessageContaining("unknown schema fingerprint")
                .satisfies(e -> assertThat(((EventDecodingException) e).topic()).isEqualTo("ai.usage"));
    }

    @Test
    void shouldNameTopicAndCauseOnGarbageBytes() {
        byte[] garbage = "{\"user_id\":\"u1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> Topics.AI_REQUESTS.valueSerde().deserializer().deserialize("ai.requests", garbage))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("'ai.requests'")
                .hasMessageContaining("not Avro single-object encoding");
    }

    @Test
    void shouldNameTopicAndCauseOnTruncatedBody() {
        byte[] whole = Topics.AI_REQUESTS.valueSerde().serializer().serialize("ai.requests", EventFixtures.imageRequest());
        byte[] truncated = Arrays.copyOf(whole, 14);

        assertThatThrownBy(() -> Topics.AI_REQUESTS.valueSerde().deserializer().deserialize("ai.requests", truncated))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("'ai.requests'")
                .hasMessageContaining("corrupt AiRequest body");
    }

    private static byte[] encode(Schema schema, GenericRecord record) {
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
