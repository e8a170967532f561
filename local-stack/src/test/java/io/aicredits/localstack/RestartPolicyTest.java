package io.aicredits.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    private final RestartPolicy policy = RestartPolicy.DEFAULT;

    @Test
    void shouldDoubleTheBackoffWithEachQuickFailureUpToTheMaximum() {
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.backoff(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.backoff(40)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shouldCountOnlyExitsSoonAfterTheStartAsFailuresInARow() {
        assertThat(policy.failuresInARow(2, Duration.ofSeconds(5))).isEqualTo(3);
        assertThat(policy.failuresInARow(4, Duration.ofMinutes(10))).isEqualTo(1);
    }

    @Test
    void shouldGiveUpAfterFiveQuickFailuresInARow() {
        assertThat(policy.givesUp(4)).isFalse();
        assertThat(policy.givesUp(5)).isTrue();
    }
}
