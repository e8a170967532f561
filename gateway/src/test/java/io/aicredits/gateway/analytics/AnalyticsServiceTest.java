package io.aicredits.gateway.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.Client;
import io.aicredits.analytics.AnalyticsPeriod;
import io.aicredits.analytics.UsageAnalytics;
import io.aicredits.analytics.clickhouse.ClickHouseClients;
import io.aicredits.gateway.web.ApiException;
import io.aicredits.infra.FreePorts;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import reactor.core.scheduler.Schedulers;

/** Where the blocking queries run, and what a caller sees when ClickHouse is down. */
class AnalyticsServiceTest {

    private Client client;
    private AnalyticsService service;

    @BeforeEach
    void startServiceWithoutClickHouse() {
        // Given a ClickHouse endpoint nobody listens on
        client = ClickHouseClients.create("http://127.0.0.1:" + FreePorts.next(), "default", "", "default",
                Duration.ofSeconds(2));
        service = new AnalyticsService(new UsageAnalytics(client), Schedulers.newBoundedElastic(2, 10, "clickhouse-analytics"),
                new TariffAdvisor(AnalyticsProperties.DEFAULT_TARIFFS), Clock.systemUTC(), 50);
    }

    @AfterEach
    void close() {
        service.close();
        client.close();
    }

    @Test
    void shouldRunQueriesOnTheBoundedAnalyticsSchedulerNotTheCaller() {
        String thread = service.query(analytics -> Thread.currentThread().getName()).block(Duration.ofSeconds(10));

        assertThat(thread).startsWith("clickhouse-analytics").isNotEqualTo(Thread.currentThread().getName());
    }

    @Test
    void shouldAnswer503WhenClickHouseIsUnreachable() {
        AnalyticsPeriod january = AnalyticsPeriod.month(LocalDate.of(2025, 1, 1));

        assertThatThrownBy(() -> service.query(analytics -> analytics.totals(january)).block(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("Analytics store (ClickHouse) is unavailable; please retry");
                });
    }
}
