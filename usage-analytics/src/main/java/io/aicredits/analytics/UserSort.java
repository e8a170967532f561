package io.aicredits.analytics;

/** Columns the users table can be sorted by. Only these reach the SQL (no injection possible). */
public enum UserSort {
    USER("user_id"),
    REQUESTS("total_requests"),
    TOKENS("total_tokens"),
    COST("total_cost"),
    LAST_CALL("last_call_at");

    final String column;

    UserSort(String column) {
        this.column = column;
    }
}
