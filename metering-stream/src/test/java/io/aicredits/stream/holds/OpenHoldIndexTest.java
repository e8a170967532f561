package io.aicredits.stream.holds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The in-memory index of open holds: order by expiry then request id, one entry per request id. */
class OpenHoldIndexTest {

    private final OpenHoldIndex index = new OpenHoldIndex();

    @Test
    void shouldListDueIdsEarliestExpiryFirstAndNothingLater() {
        // Given holds indexed out of order
        index.put("r-late", 3_000);
        index.put("r-early", 1_000);
        index.put("r-mid", 2_000);

        // When asked what is due at 2,000 ms
        // Then exactly the holds expiring at or before then, earliest first
        assertThat(index.due(2_000)).containsExactly("r-early", "r-mid");
        assertThat(index.due(999)).isEmpty();
        assertThat(index.due(Long.MAX_VALUE)).containsExactly("r-early", "r-mid", "r-late");
    }

    @Test
    void shouldKeepTwoHoldsExpiringInTheSameMillisecondOrderedByRequestId() {
        index.put("r-b", 1_000);
        index.put("r-a", 1_000);

        assertThat(index.due(1_000)).containsExactly("r-a", "r-b");
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void shouldIndexARequestIdOnceAtItsLatestExpiry() {
        // Given a request id indexed, then indexed again at another expiry (a new attempt's hold)
        index.put("r1", 1_000);
        index.put("r1", 5_000);

        // Then only the latest expiry counts
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.due(4_999)).isEmpty();
        assertThat(index.due(5_000)).containsExactly("r1");
    }

    @Test
    void shouldForgetARemovedIdAndSayWhetherItWasIndexed() {
        index.put("r1", 1_000);
        index.put("r2", 1_000);

        assertThat(index.remove("r1")).isTrue();
        assertThat(index.remove("r1")).isFalse();
        assertThat(index.remove("never-indexed")).isFalse();

        assertThat(index.due(Long.MAX_VALUE)).containsExactly("r2");
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void shouldLeaveTheIndexUnchangedWhenListingWhatIsDue() {
        index.put("r1", 1_000);

        index.due(2_000);

        assertThat(index.size()).isEqualTo(1);
        assertThat(index.due(2_000)).containsExactly("r1");
    }
}
