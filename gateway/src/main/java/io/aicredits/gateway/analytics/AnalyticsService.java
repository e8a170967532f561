package io.aicredits.gateway.analytics;

import io.aicredits.analytics.AnalyticsPeriod;
import io.aicredits.analytics.AnalyticsRecords.LedgerRow;
import io.aicredits.analytics.AnalyticsRecords.Page;
import io.aicredits.analytics.AnalyticsRecords.UserRow;
import io.aicredits.analytics.SortDirection;
import io.aicredits.analytics.UsageAnalytics;
import io.aicredits.analytics.UserSort;
import io.aicredits.analytics.clickhouse.ClickHouseAccessException;
import io.aicredits.gateway.web.ApiException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * {@link UsageAnalytics} for a reactive gateway: every query (client-v2 blocks) runs on a bounded
 * scheduler, never on the event loop. ClickHouse failures and a full queue answer {@code 503}.
 */
public class AnalyticsService implements AutoCloseable {

    private final UsageAnalytics analytics;
    private final Scheduler scheduler;
    private final TariffAdvisor tariffs;
    private final Clock clock;
    private final int defaultPageSize;

    AnalyticsService(UsageAnalytics analytics, Scheduler scheduler, TariffAdvisor tariffs, Clock clock, int defaultPageSize) {
        this.analytics = analytics;
        this.defaultPageSize = defaultPageSize;
        this.scheduler = scheduler;
        this.tariffs = tariffs;
        this.clock = clock;
    }

    LocalDate today() {
        return LocalDate.now(clock);
    }

    TariffAdvisor tariffs() {
        return tariffs;
    }

    /** The analytics, queried on the bounded scheduler. */
    <T> Mono<T> query(AnalyticsQuery<T> query) {
        return blocking(() -> query.run(analytics));
    }

    /**
     * A page of one user's ledger entries, newest first; {@code page} and {@code size} are the raw
     * query parameters (checked here: {@code 400} when bad).
     */
    public Mono<Page<LedgerRow>> ledgerEntries(String userId, String page, String size) {
        int pageNumber = AnalyticsParams.page(page);
        int pageSize = AnalyticsParams.size("size", size, defaultPageSize);
        return query(a -> a.ledgerEntries(userId, pageNumber, pageSize));
    }

    /** Every user of the period, in the given order, read page by page (for the CSV export). */
    Mono<List<UserRow>> allUsers(AnalyticsPeriod period, UserSort sort, SortDirection direction) {
        return blocking(() -> {
            List<UserRow> rows = new ArrayList<>();
            int size = UsageAnalytics.MAX_PAGE_SIZE;
            for (int page = 0; ; page++) {
                Page<UserRow> chunk = analytics.users(period, sort, direction, page, size);
                rows.addAll(chunk.items());
                if (chunk.items().size() < size || rows.size() >= chunk.total()) {
                    return rows;
                }
            }
        });
    }

    private <T> Mono<T> blocking(Callable<T> call) {
        return Mono.fromCallable(call)
                .subscribeOn(scheduler)
                .onErrorMap(ClickHouseAccessException.class, e -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                        "Analytics store (ClickHouse) is unavailable; please retry", e))
                .onErrorMap(RejectedExecutionException.class, e -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                        "Too many analytics queries at once; please retry", e));
    }

    @Override
    public void close() {
        scheduler.dispose();
    }

    /** One or more {@link UsageAnalytics} calls run together on the query scheduler. */
    @FunctionalInterface
    interface AnalyticsQuery<T> {
        T run(UsageAnalytics analytics);
    }
}
