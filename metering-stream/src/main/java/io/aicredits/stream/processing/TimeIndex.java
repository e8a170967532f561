package io.aicredits.stream.processing;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A time-ordered index over another store: key {@code <20-digit zero-padded epoch millis>|<tag>|<id>},
 * value the id. Zero-padded decimal digits sort as the numbers do, in RocksDB's byte order too, so
 * {@link #due(long)} is a range scan that reads only the entries due by then, never the whole store.
 */
final class TimeIndex {

    private static final String SEP = "|";

    private final KeyValueStore<String, String> store;

    TimeIndex(KeyValueStore<String, String> store) {
        this.store = store;
    }

    static String key(long at, String tag, String id) {
        return pad(at) + SEP + tag + SEP + id;
    }

    private static String pad(long at) {
        String digits = Long.toString(Math.max(0, at));
        return "0".repeat(20 - digits.length()) + digits;
    }

    void add(long at, String tag, String id) {
        store.put(key(at, tag, id), id);
    }

    void remove(String indexKey) {
        store.delete(indexKey);
    }

    /** Entries with a time at or before {@code now}, oldest first (index key → id). */
    List<KeyValue<String, String>> due(long now) {
        List<KeyValue<String, String>> out = new ArrayList<>();
        if (now < 0) {
            return out;
        }
        // Every key due by now is "<pad(t)>|..." with t <= now, which sorts below the bare "<pad(now + 1)>".
        try (KeyValueIterator<String, String> it = store.range(pad(0), pad(now + 1))) {
            while (it.hasNext()) {
                out.add(it.next());
            }
        }
        return out;
    }

    /** The tag of an index key. */
    static String tagOf(String indexKey) {
        int first = indexKey.indexOf('|');
        int second = indexKey.indexOf('|', first + 1);
        return indexKey.substring(first + 1, second);
    }
}
