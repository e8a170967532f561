package io.aicredits.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class StreamOverridesTest {

    @Test
    void shouldParseCommaSeparatedKeyValuePairs() {
        // When parsing the --stream-config argument
        Properties p = Benchmarks.parseOverrides("commit.interval.ms=20, producer.linger.ms=1,");

        // Then every pair is a property, blanks are ignored
        assertThat(p).hasSize(2).containsEntry("commit.interval.ms", "20").containsEntry("producer.linger.ms", "1");
    }

    @Test
    void shouldRejectAPairWithoutValueSeparator() {
        assertThatThrownBy(() -> Benchmarks.parseOverrides("commit.interval.ms"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key=value");
    }
}
