package io.aicredits.analytics;

/** Sort direction; ties are always broken by user id ascending. */
public enum SortDirection {
    ASC, DESC
}
