package io.aicredits.gateway.credits;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.aicredits.analytics.AnalyticsRecords.LedgerRow;
import io.aicredits.analytics.AnalyticsRecords.Page;
import java.util.List;

/** {@code GET /api/ai/credits/history}: a page of the caller's ledger entries, newest first. */
record HistoryView(@JsonProperty("user_id") String userId,
                   @JsonProperty("page") int page,
                   @JsonProperty("size") int size,
                   @JsonProperty("total") long total,
                   @JsonProperty("items") List<Entry> items) {

    static HistoryView of(String userId, Page<LedgerRow> page) {
        return new HistoryView(userId, page.page(), page.size(), page.total(), page.items().stream().map(Entry::of).toList());
    }

    /** One balance change: {@code delta} credits of {@code pool}, and the pool's balance after it. */
    record Entry(@JsonProperty("created_at") String createdAt,
                 @JsonProperty("entry_id") String entryId,
                 @JsonProperty("kind") String kind,
                 @JsonProperty("pool") String pool,
                 @JsonProperty("delta") long delta,
                 @JsonProperty("balance_after") long balanceAfter,
                 @JsonProperty("operation_type") @JsonInclude(JsonInclude.Include.ALWAYS) String operationType,
                 @JsonProperty("note") @JsonInclude(JsonInclude.Include.ALWAYS) String note) {
        static Entry of(LedgerRow row) {
            return new Entry(row.createdAt().toString(), row.entryId(), row.kind(), row.pool(), row.delta(),
                    row.balanceAfter(), row.operationType(), row.note());
        }
    }
}
