package io.aicredits.gateway.analytics;

import io.aicredits.analytics.AnalyticsPeriod;
import io.aicredits.analytics.Granularity;
import io.aicredits.analytics.SortDirection;
import io.aicredits.analytics.UserSort;
import io.aicredits.gateway.analytics.AnalyticsViews.CostPointView;
import io.aicredits.gateway.analytics.AnalyticsViews.DashboardView;
import io.aicredits.gateway.analytics.AnalyticsViews.EconomicsView;
import io.aicredits.gateway.analytics.AnalyticsViews.ForecastView;
import io.aicredits.gateway.analytics.AnalyticsViews.ModelEfficiencyView;
import io.aicredits.gateway.analytics.AnalyticsViews.ModelShareView;
import io.aicredits.gateway.analytics.AnalyticsViews.ModelsView;
import io.aicredits.gateway.analytics.AnalyticsViews.OperationEconomicsView;
import io.aicredits.gateway.analytics.AnalyticsViews.OperationRowView;
import io.aicredits.gateway.analytics.AnalyticsViews.OperationUsageView;
import io.aicredits.gateway.analytics.AnalyticsViews.OperationsView;
import io.aicredits.gateway.analytics.AnalyticsViews.PeriodView;
import io.aicredits.gateway.analytics.AnalyticsViews.RecommendationView;
import io.aicredits.gateway.analytics.AnalyticsViews.TariffView;
import io.aicredits.gateway.analytics.AnalyticsViews.TotalsView;
import io.aicredits.gateway.analytics.AnalyticsViews.UserCostView;
import io.aicredits.gateway.analytics.AnalyticsViews.UserEconomicsView;
import io.aicredits.gateway.analytics.AnalyticsViews.UserRowView;
import io.aicredits.gateway.analytics.AnalyticsViews.UsersPageView;
import io.aicredits.gateway.settings.RuntimeSettings;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The SuperAdmin "Analytics → AI" views (cost over time, totals, users, operations, models,
 * economics per active day and per request), read from ClickHouse's daily aggregate. Only {@code super_admin} gets here (the security chain guards {@code /api/admin/**}).
 * Every endpoint takes a period: {@code from}/{@code to} (ISO dates, both included) or
 * {@code period=day|week|month} (the current one, UTC); default the current month.
 */
@RestController
@RequestMapping("/api/admin/analytics")
class AnalyticsController {

    static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);
    static final int TOP_USERS = 5;

    private final AnalyticsService service;
    private final int defaultPageSize;
    private final RuntimeSettings settings;

    AnalyticsController(AnalyticsService service, AnalyticsProperties properties, RuntimeSettings settings) {
        this.service = service;
        this.settings = settings;
        this.defaultPageSize = properties.defaultPageSize();
    }

    @GetMapping("/dashboard")
    Mono<DashboardView> dashboard(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                  @RequestParam(required = false) String period,
                                  @RequestParam(required = false) String granularity) {
        AnalyticsPeriod days = period(from, to, period);
        Granularity bucket = AnalyticsParams.granularity(granularity);
        return Mono.zip(
                service.query(a -> a.costOverTime(days, bucket).stream().map(CostPointView::of).toList()),
                service.query(a -> TotalsView.of(a.totals(days))),
                service.query(a -> a.topUsersByCost(days, TOP_USERS).stream().map(UserCostView::of).toList()),
                service.query(a -> a.popularOperations(days).stream().map(OperationUsageView::of).toList()),
                service.query(a -> a.modelShare(days).stream().map(ModelShareView::of).toList()))
                .map(all -> new DashboardView(PeriodView.of(days), bucket.name().toLowerCase(Locale.ROOT),
                        all.getT1(), all.getT2(), all.getT3(), all.getT4(), all.getT5()));
    }

    @GetMapping("/users")
    Mono<UsersPageView> users(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                              @RequestParam(required = false) String period,
                              @RequestParam(required = false) String sort, @RequestParam(required = false) String direction,
                              @RequestParam(required = false) String page, @RequestParam(required = false) String size) {
        AnalyticsPeriod days = period(from, to, period);
        UserSort column = AnalyticsParams.sort(sort);
        SortDirection order = AnalyticsParams.direction(direction, column);
        int pageNumber = AnalyticsParams.page(page);
        int pageSize = AnalyticsParams.size("size", size, defaultPageSize);
        return service.query(a -> a.users(days, column, order, pageNumber, pageSize))
                .map(result -> new UsersPageView(PeriodView.of(days), AnalyticsParams.sortName(column),
                        order.name().toLowerCase(Locale.ROOT), result.page(), result.size(), result.total(),
                        result.items().stream().map(UserRowView::of).toList()));
    }

    /** The whole users table of the period (all pages) as CSV, sorted like {@code /users}. */
    @GetMapping("/users/export")
    Mono<ResponseEntity<String>> exportUsers(@RequestParam(required = false) String from,
                                             @RequestParam(required = false) String to,
                                             @RequestParam(required = false) String period,
                                             @RequestParam(required = false) String sort,
                                             @RequestParam(required = false) String direction) {
        AnalyticsPeriod days = period(from, to, period);
        UserSort column = AnalyticsParams.sort(sort);
        SortDirection order = AnalyticsParams.direction(direction, column);
        String filename = "ai-usage-users_" + days.from() + "_" + AnalyticsParams.lastDay(days) + ".csv";
        return service.allUsers(days, column, order)
                .map(rows -> ResponseEntity.ok()
                        .contentType(TEXT_CSV)
                        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build().toString())
                        .body(UsersCsv.render(rows)));
    }

    @GetMapping("/operations")
    Mono<OperationsView> operations(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                    @RequestParam(required = false) String period) {
        AnalyticsPeriod days = period(from, to, period);
        return service.query(a -> new OperationsView(PeriodView.of(days),
                a.operationTypes(days).stream().map(OperationRowView::of).toList()));
    }

    @GetMapping("/models")
    Mono<ModelsView> models(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                            @RequestParam(required = false) String period) {
        AnalyticsPeriod days = period(from, to, period);
        return Mono.zip(
                service.query(a -> a.modelEfficiency(days).stream().map(ModelEfficiencyView::of).toList()),
                service.query(a -> a.cheaperModelRecommendations(days).stream().map(RecommendationView::of).toList()))
                .map(both -> new ModelsView(PeriodView.of(days), both.getT1(), both.getT2()));
    }

    @GetMapping("/economics")
    Mono<EconomicsView> economics(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                                  @RequestParam(required = false) String period,
                                  @RequestParam(required = false) String limit) {
        AnalyticsPeriod days = period(from, to, period);
        int users = AnalyticsParams.size("limit", limit, 100);
        TariffAdvisor advisor = service.tariffs();
        return Mono.zip(
                service.query(a -> a.userEconomics(days, users).stream().map(u -> UserEconomicsView.of(u, advisor)).toList()),
                service.query(a -> a.operationEconomics(days).stream().map(OperationEconomicsView::of).toList()))
                .map(both -> new EconomicsView(PeriodView.of(days), both.getT1(), both.getT2(),
                        advisor.tariffs().stream().map(TariffView::of).toList()));
    }

    /**
     * The current UTC month: spend so far, the straight-line projection to its end
     * ({@code spent × days in month / days elapsed}, today counted), and the platform's monthly
     * budget ({@code budgets.platform_monthly_usd}) when one is set.
     */
    @GetMapping("/forecast")
    Mono<ForecastView> forecast() {
        return service.query(a -> a.monthForecast(service.today()))
                .map(forecast -> ForecastView.of(service.today(), forecast, settings.platformMonthlyBudgetUsd().orElse(null)));
    }

    private AnalyticsPeriod period(String from, String to, String period) {
        return AnalyticsParams.period(from, to, period, service.today());
    }
}
