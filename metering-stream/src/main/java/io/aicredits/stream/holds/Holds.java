package io.aicredits.stream.holds;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The holds store and its expiry index: an open hold has one entry in the index at its
 * {@code expiresAt}; a closed hold leaves the index and stays in the store for the dedup window,
 * so a repeated usage is recognised, until {@link #forget} removes it.
 */
public final class Holds {

    public static final String TAG = "h";

    private final KeyValueStore<String, Hold> store;
    private final TimeIndex expiry;

    public Holds(KeyValueStore<String, Hold> store, KeyValueStore<String, String> expiryStore) {
        this.store = store;
        this.expiry = new TimeIndex(expiryStore, true);
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
        expiry.add(hold.expiresAt, TAG, hold.requestId);
    }

    /** Stores a hold that just closed (settled, released or expired): out of the expiry index. */
    public void closed(Hold hold) {
        store.put(hold.requestId, hold);
        expiry.remove(hold.expiresAt, TAG, hold.requestId);
    }

    /**
     * The open holds whose {@code expiresAt} is at or before {@code now}, read from the due part of
     * the index only. Their index entries are consumed; the caller closes each hold with {@link #closed}.
     */
    public List<Hold> due(long now) {
        List<Hold> due = new ArrayList<>();
        for (KeyValue<String, String> entry : expiry.due(now)) {
            expiry.remove(entry.key);
            Hold h = store.get(entry.value);
            // A stale index entry (the hold closed, or was forgotten, meanwhile) is only dropped.
            if (h != null && h.state == Hold.State.OPEN && h.expiresAt <= now) {
                due.add(h);
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

    /** Exact number of open holds of this task. */
    public long openCount() {
        return expiry.size();
    }
}
