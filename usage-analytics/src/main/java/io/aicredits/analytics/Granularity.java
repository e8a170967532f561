package io.aicredits.analytics;

/** Bucket size of a cost-over-time series; each bucket is named by its first day. */
public enum Granularity {
    DAY("day"),
    /** ISO weeks, starting on Monday. */
    WEEK("toMonday(day)"),
    MONTH("toStartOfMonth(day)");

    final String bucketExpression;

    Granularity(String bucketExpression) {
        this.bucketExpression = bucketExpression;
    }
}
