package io.aicredits.stream.holds;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The holds store and its expiry index: an open hold has one entry in the index at its
 * {@code expiresAt}; a closed hold leaves the index and stays in the store for the dedup window,
 * so a repeated usage is recognised, until {@link #forget} removes it.
 *
 * <p>The index lives in memory only ({@link OpenHoldIndex}), so placing and closing a hold writes no
 * changelog record besides the hold itself. It is rebuilt from the store when this is constructed,
 * in the processor's {@code init()}: Kafka Streams initialises a task's processors only after its
 * stores are restored, and under exactly-once a task that failed is closed dirty, its local state
 * wiped and restored from the changelog before its processors are initialised again, so the
 * rebuild always reads committed state.
 */
public final class Holds {

    public static final String TAG = "h";

    private final KeyValueStore<String, Hold> store;
    private final OpenHoldIndex expiry = new OpenHoldIndex();

    /** Reads every hold of the store once (open and, for the dedup window, closed) to index the open ones. */
    public Holds(KeyValueStore<String, Hold> store) {
        this.store = store;
        try (KeyValueIterator<String, Hold> it = store.all()) {
            while (it.hasNext()) {
                Hold h = it.next().value;
                if (h.state == Hold.State.OPEN) {
                    expiry.put(h.requestId, h.expiresAt);
                }
            }
        }
    }

    public Hold get(String requestId) {
        return store.get(requestId);
    }

    /** The hold of the request id when that exact attempt placed or released it, else null. */
    public Hold ofAttempt(String requestId, String attemptId) {
        Hold h = store.get(requestId);
        return h != null && attemptId.equals(h.attemptId) ? h : null;
    }

    /** Stores a hold just placed and indexes it by its expiry. */
    public void placed(Hold hold) {
        store.put(hold.requestId, hold);
        expiry.put(hold.requestId, hold.expiresAt);
    }

    /** Stores a hold that just closed (settled, released or expired): out of the expiry index. */
    public void closed(Hold hold) {
        store.put(hold.requestId, hold);
        expiry.remove(hold.requestId);
    }

    /**
     * Exactly the open holds whose {@code expiresAt} is at or before {@code now}, earliest first, read
     * from the due part of the index only. The caller closes each with {@link #closed}, which takes it
     * out of the index.
     */
    public List<Hold> due(long now) {
        List<Hold> due = new ArrayList<>();
        for (String requestId : expiry.due(now)) {
            Hold h = store.get(requestId);
            // The store has the last word: an entry that no longer names an open hold is only dropped.
            if (h == null || h.state != Hold.State.OPEN) {
                expiry.remove(requestId);
            } else if (h.expiresAt <= now) {
                due.add(h);
            } else {
                expiry.put(requestId, h.expiresAt);
            }
        }
        return due;
    }

    /**
     * Forgets a closed hold whose dedup window ended by {@code keepUntil}.
     *
     * @return whether no hold of this request id is remembered any more
     */
    public boolean forget(String requestId, long keepUntil) {
        Hold h = store.get(requestId);
        if (h == null) {
            return true;
        }
        // A hold charged late closed again later, and a new attempt's hold replaced a released one:
        // their newer dedup entries forget them then.
        if (h.state != Hold.State.OPEN && h.closedAt <= keepUntil) {
            store.delete(requestId);
            return true;
        }
        return false;
    }

    /** Exact number of open holds of this task: the size of the index. */
    public long openCount() {
        return expiry.size();
    }
}
