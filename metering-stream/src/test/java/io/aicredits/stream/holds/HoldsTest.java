package io.aicredits.stream.holds;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.stream.StateSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Holds} over a real key-value store: the in-memory expiry index rebuilt from it and kept in step. */
class HoldsTest {

    private final KeyValueStore<String, Hold> store = holdsStore();

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void shouldIndexExactlyTheOpenHoldsAlreadyInTheStoreWhenBuilt() {
        // Given a store restored with open holds and closed ones kept for the dedup window
        store.put("open-1", hold("open-1", Hold.State.OPEN, 1_000));
        store.put("open-2", hold("open-2", Hold.State.OPEN, 3_000));
        store.put("settled", hold("settled", Hold.State.SETTLED, 500));
        store.put("released", hold("released", Hold.State.RELEASED, 500));
        store.put("expired", hold("expired", Hold.State.EXPIRED, 500));

        // When the holds are built over it (the processor's init after restoration)
        Holds holds = new Holds(store);

        // Then only the open holds are indexed, each due at its own expiry
        assertThat(holds.openCount()).isEqualTo(2);
        assertThat(holds.due(999)).isEmpty();
        assertThat(holds.due(1_000)).extracting(h -> h.requestId).containsExactly("open-1");
        assertThat(holds.due(5_000)).extracting(h -> h.requestId).containsExactly("open-1", "open-2");
    }

    @Test
    void shouldReturnADueHoldUntilItIsClosedAndNeverAfter() {
        Holds holds = new Holds(store);
        Hold h = hold("r1", Hold.State.OPEN, 1_000);
        holds.placed(h);

        assertThat(holds.due(1_000)).extracting(x -> x.requestId).containsExactly("r1");
        // Not closed yet (e.g. the punctuation failed): still open, still due
        assertThat(holds.due(1_000)).extracting(x -> x.requestId).containsExactly("r1");

        h.state = Hold.State.EXPIRED;
        holds.closed(h);

        assertThat(holds.due(Long.MAX_VALUE)).isEmpty();
        assertThat(holds.openCount()).isZero();
    }

    @Test
    void shouldDropAnEntryWhoseHoldIsNoLongerOpenInTheStore() {
        // Given an indexed open hold that the store now has as settled
        Holds holds = new Holds(store);
        holds.placed(hold("r1", Hold.State.OPEN, 1_000));
        store.put("r1", hold("r1", Hold.State.SETTLED, 1_000));

        // Then it is never returned as due, and no longer counted
        assertThat(holds.due(2_000)).isEmpty();
        assertThat(holds.openCount()).isZero();
    }

    @Test
    void shouldExpireANewAttemptsHoldAtItsOwnExpiryNotAtTheReleasedOnes() {
        // Given a released hold, then a new attempt's hold of the same request id expiring later
        Holds holds = new Holds(store);
        Hold first = hold("r1", Hold.State.OPEN, 1_000);
        holds.placed(first);
        first.state = Hold.State.RELEASED;
        holds.closed(first);
        holds.placed(hold("r1", Hold.State.OPEN, 9_000));

        assertThat(holds.due(8_999)).isEmpty();
        assertThat(holds.due(9_000)).extracting(h -> h.requestId).containsExactly("r1");
        assertThat(holds.openCount()).isEqualTo(1);
    }

    @Test
    void shouldNotCountAClosedHoldThatNeverWasOpen() {
        // A release read before its request is stored as a closed hold without ever being placed
        Holds holds = new Holds(store);

        holds.closed(hold("r1", Hold.State.RELEASED, 1_000));

        assertThat(holds.openCount()).isZero();
        assertThat(holds.due(Long.MAX_VALUE)).isEmpty();
    }

    private static Hold hold(String requestId, Hold.State state, long expiresAt) {
        Hold h = new Hold();
        h.requestId = requestId;
        h.userId = "u1";
        h.pool = "ai_credits";
        h.operationType = "text_generation";
        h.amount = 1;
        h.expiresAt = expiresAt;
        h.state = state;
        return h;
    }

    private static KeyValueStore<String, Hold> holdsStore() {
        KeyValueStore<String, Hold> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("holds-store"),
                Serdes.String(), StateSerde.hold()).withLoggingDisabled().build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        s.init(context.getStateStoreContext(), s);
        return s;
    }
}
