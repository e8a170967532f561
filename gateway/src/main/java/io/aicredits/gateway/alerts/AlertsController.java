package io.aicredits.gateway.alerts;

import io.aicredits.gateway.kafka.KafkaClientProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.aicredits.events.AlertKind;
import io.aicredits.events.AlertRaised;
import io.aicredits.gateway.GatewayProperties;
import io.aicredits.gateway.pricing.ModelPrices;
import io.aicredits.gateway.web.ApiException;
import io.aicredits.schemas.Topics;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/admin/alerts}: recent budget and low-credits alerts of {@code ai.alerts},
 * newest first ({@code super_admin} only, like all of {@code /api/admin/**}).
 */
@RestController
@RequestMapping("/api/admin/alerts")
class AlertsController {

    static final int CAPACITY = 500;

    private final AlertsFeed feed;

    AlertsController(AlertsFeed feed) {
        this.feed = feed;
    }

    @GetMapping
    AlertsView recent(@RequestParam(required = false) String limit) {
        int count = 100;
        if (limit != null && !limit.isBlank()) {
            try {
                count = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("limit must be a whole number: '" + limit + "'");
            }
            if (count < 1 || count > CAPACITY) {
                throw ApiException.badRequest("limit must be between 1 and " + CAPACITY + ": " + count);
            }
        }
        return new AlertsView(feed.recent(count).stream().map(AlertView::of).toList());
    }

    record AlertsView(@JsonProperty("alerts") List<AlertView> alerts) {
    }

    /**
     * One alert. Budget alerts: {@code amount}/{@code limit} are USD (9 decimals) spent and budgeted;
     * {@code LOW_CREDITS}: credits left and the period's credits.
     */
    record AlertView(@JsonProperty("alert_id") String alertId,
                     @JsonProperty("kind") String kind,
                     @JsonProperty("subject") String subject,
                     @JsonProperty("pool") @JsonInclude(JsonInclude.Include.ALWAYS) String pool,
                     @JsonProperty("period") String period,
                     @JsonProperty("threshold_percent") int thresholdPercent,
                     @JsonProperty("amount") String amount,
                     @JsonProperty("limit") String limit,
                     @JsonProperty("unit") String unit,
                     @JsonProperty("message") String message,
                     @JsonProperty("raised_at") String raisedAt) {
        static AlertView of(AlertRaised a) {
            boolean credits = a.getKind() == AlertKind.LOW_CREDITS;
            return new AlertView(a.getAlertId(), a.getKind().name(), a.getSubject(), a.getPool(), a.getPeriod(),
                    a.getThresholdPercent(), amount(a.getAmount(), credits), amount(a.getLimit(), credits),
                    credits ? "credits" : "usd", a.getMessage(), a.getRaisedAt().toString());
        }

        private static String amount(long value, boolean credits) {
            return credits ? Long.toString(value) : ModelPrices.toUsd(value).setScale(9).toPlainString();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class AlertsFeedConfig {

        @Bean(destroyMethod = "close")
        AlertsFeed alertsFeed(GatewayProperties properties, KafkaClientProperties kafka) {
            return new AlertsFeed(kafka, Topics.AI_ALERTS.name(), properties.metering().instanceId(), CAPACITY);
        }
    }
}
