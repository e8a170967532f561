package io.aicredits.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/**
 * Header names carried by records on {@link Topics#DEAD_LETTERS}. The record keeps the original
 * key and value bytes; these headers say where it came from and why it could not be processed.
 */
public final class DeadLetters {

    public static final String REASON = "dlq.reason";
    public static final String EXCEPTION = "dlq.exception";
    public static final String SOURCE_TOPIC = "dlq.source.topic";
    public static final String SOURCE_PARTITION = "dlq.source.partition";
    public static final String SOURCE_OFFSET = "dlq.source.offset";
    public static final String FAILED_BY = "dlq.failed.by";

    /** Adds the dead-letter headers describing one failed source record. */
    public static Headers describe(Headers headers, String reason, Throwable exception,
                                   String sourceTopic, int sourcePartition, long sourceOffset, String failedBy) {
        put(headers, REASON, reason);
        put(headers, EXCEPTION, exception == null ? "" : exception.getClass().getName());
        put(headers, SOURCE_TOPIC, sourceTopic);
        put(headers, SOURCE_PARTITION, Integer.toString(sourcePartition));
        put(headers, SOURCE_OFFSET, Long.toString(sourceOffset));
        put(headers, FAILED_BY, failedBy);
        return headers;
    }

    /** A header's value as text, or null when absent. */
    public static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
    }

    private DeadLetters() {
    }
}
