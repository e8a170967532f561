package io.aicredits.stream.holds;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The open holds of one task, in memory, ordered by {@code (expiresAt, requestId)}: one entry per
 * request id, so two holds expiring in the same millisecond are both kept and a request id is never
 * indexed twice. Not persisted and not thread-safe: {@link Holds} builds it from the holds store
 * when the task's processor starts and keeps it in step with every hold it places or closes.
 */
final class OpenHoldIndex {

    private record Entry(long expiresAt, String requestId) {
    }

    private static final Comparator<Entry> BY_EXPIRY =
            Comparator.comparingLong(Entry::expiresAt).thenComparing(Entry::requestId);

    private final NavigableSet<Entry> byExpiry = new TreeSet<>(BY_EXPIRY);
    private final Map<String, Long> expiresAtById = new HashMap<>();

    /** Indexes {@code requestId} at {@code expiresAt}, replacing its earlier entry if it had one. */
    void put(String requestId, long expiresAt) {
        Long earlier = expiresAtById.put(requestId, expiresAt);
        if (earlier != null) {
            byExpiry.remove(new Entry(earlier, requestId));
        }
        byExpiry.add(new Entry(expiresAt, requestId));
    }

    /** @return whether {@code requestId} was indexed */
    boolean remove(String requestId) {
        Long expiresAt = expiresAtById.remove(requestId);
        if (expiresAt == null) {
            return false;
        }
        byExpiry.remove(new Entry(expiresAt, requestId));
        return true;
    }

    /** The request ids indexed at or before {@code now}, earliest expiry first; the index is not changed. */
    List<String> due(long now) {
        List<String> due = new ArrayList<>();
        for (Entry e : byExpiry) {
            if (e.expiresAt() > now) {
                break;
            }
            due.add(e.requestId());
        }
        return due;
    }

    int size() {
        return expiresAtById.size();
    }
}
