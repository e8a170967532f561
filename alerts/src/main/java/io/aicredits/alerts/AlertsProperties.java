package io.aicredits.alerts;

import io.aicredits.analytics.clickhouse.ClickHouseConnection;
import io.aicredits.internal.Secrets;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code alerts.*}: the alerts service (README: alerts/README.md).
 *
 * @param applicationId Kafka Streams application id
 * @param stateDir      Kafka Streams state directory
 * @param zone          zone of months and days
 * @param budgets       configured default budgets (ai.settings overrides them)
 * @param webhook       generic JSON webhook (disabled without url)
 * @param telegram      Telegram Bot API (disabled without bot token)
 * @param notifier      delivery of ai.alerts to the channels
 * @param report        daily report
 */
@ConfigurationProperties("alerts")
public record AlertsProperties(@DefaultValue("alerts") String applicationId,
                               @DefaultValue("alerts-state") String stateDir,
                               @DefaultValue("UTC") ZoneId zone,
                               @DefaultValue Budgets budgets,
                               @DefaultValue Webhook webhook,
                               @DefaultValue Telegram telegram,
                               @DefaultValue Notifier notifier,
                               @DefaultValue Report report) {

    /** USD; 0 = none. */
    public record Budgets(@DefaultValue("0") BigDecimal userMonthlyUsd, @DefaultValue("0") BigDecimal platformMonthlyUsd,
                          @DefaultValue("0") BigDecimal platformDailyUsd) {
    }

    /** @param url where alerts are POSTed; its path often is the secret, so it is not printed */
    public record Webhook(String url) {
        @Override
        public String toString() {
            return "Webhook[url=" + Secrets.maskUrl(url) + "]";
        }
    }

    /** @param baseUrl https://api.telegram.org, or a local server in tests */
    public record Telegram(@DefaultValue("https://api.telegram.org") String baseUrl, String botToken, String chatId) {
        @Override
        public String toString() {
            return "Telegram[baseUrl=" + baseUrl + ", botToken=" + Secrets.mask(botToken) + ", chatId=" + chatId + "]";
        }
    }

    /**
     * @param retryBackoff wait before an alert a channel refused is tried again
     * @param maxAttempts  attempts per alert; then it is recorded on the dead-letter topic and skipped
     */
    public record Notifier(@DefaultValue("alerts-notifier") String groupId, @DefaultValue("10s") Duration timeout,
                           @DefaultValue("5s") Duration retryBackoff, @DefaultValue("5") int maxAttempts) {
    }

    /**
     * @param enabled    send the daily report (needs ClickHouse and {@code spring.mail.*})
     * @param cron       when (Spring cron, in {@code zone}); reports the current day
     * @param from       sender address
     * @param recipients super admins' addresses
     * @param topN       users and operations listed
     */
    public record Report(@DefaultValue("false") boolean enabled, @DefaultValue("0 55 23 * * *") String cron,
                         @DefaultValue("ai-reports@localhost") String from, @DefaultValue List<String> recipients,
                         @DefaultValue("5") int topN, @DefaultValue ClickHouseConnection clickhouse) {
    }
}
