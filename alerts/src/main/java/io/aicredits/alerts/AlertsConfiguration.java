package io.aicredits.alerts;

import com.clickhouse.client.api.Client;
import io.aicredits.alerts.notify.AlertNotifier;
import io.aicredits.alerts.notify.NotificationChannel;
import io.aicredits.alerts.notify.TelegramChannel;
import io.aicredits.alerts.notify.WebhookChannel;
import io.aicredits.alerts.report.DailyReports;
import io.aicredits.analytics.UsageAnalytics;
import io.aicredits.schemas.Topics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.scheduling.annotation.Scheduled;

/** Wires the alerts stream, the channels, the notifier and the daily report from {@link AlertsProperties}. */
@Configuration(proxyBeanMethods = false)
class AlertsConfiguration {

    @Bean
    AlertsSettings alertsSettings(AlertsProperties properties) {
        AlertsSettings d = AlertsSettings.defaults();
        return new AlertsSettings(properties.budgets().userMonthlyUsd(), properties.budgets().platformMonthlyUsd(),
                properties.budgets().platformDailyUsd(), d.thresholdsPercent(), d.lowCreditsPercent(), properties.zone(),
                d.usageDedupWindow(), d.topics());
    }

    @Bean(destroyMethod = "close")
    AlertsRuntime alertsRuntime(AlertsProperties properties, AlertsSettings settings, KafkaClientProperties kafka) {
        return AlertsRuntime.start(streamsOverrides(properties, kafka), settings, Duration.ofSeconds(120));
    }

    /** The overrides of {@link AlertsTopology#config}: {@code spring.kafka.properties.*} reach every Streams client. */
    static Properties streamsOverrides(AlertsProperties properties, KafkaClientProperties kafka) {
        Properties p = new Properties();
        p.putAll(kafka.properties());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
        p.put(StreamsConfig.STATE_DIR_CONFIG, properties.stateDir());
        return p;
    }

    /** The notifier's client settings: the broker and {@code spring.kafka.properties.*} (security). */
    static Map<String, Object> notifierClients(KafkaClientProperties kafka) {
        Map<String, Object> clients = new HashMap<>(kafka.properties());
        clients.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return clients;
    }

    /** Kafka Streams client metrics (lag, commit and process rates) on /actuator/prometheus. */
    @Bean(destroyMethod = "close")
    KafkaStreamsMetrics alertsStreamMetrics(AlertsRuntime runtime) {
        return new KafkaStreamsMetrics(runtime.streams());
    }

    @Bean
    List<NotificationChannel> notificationChannels(AlertsProperties properties) {
        List<NotificationChannel> channels = new ArrayList<>();
        Duration timeout = properties.notifier().timeout();
        if (properties.webhook().url() != null && !properties.webhook().url().isBlank()) {
            channels.add(new WebhookChannel(URI.create(properties.webhook().url()), timeout));
        }
        AlertsProperties.Telegram telegram = properties.telegram();
        if (telegram.botToken() != null && !telegram.botToken().isBlank()) {
            if (telegram.chatId() == null || telegram.chatId().isBlank()) {
                throw new IllegalStateException("alerts.telegram.chat-id is required with alerts.telegram.bot-token");
            }
            channels.add(new TelegramChannel(telegram.baseUrl(), telegram.botToken(), telegram.chatId(), timeout));
        }
        return List.copyOf(channels);
    }

    @Bean(destroyMethod = "close")
    AlertNotifier alertNotifier(AlertsProperties properties, AlertsSettings settings, List<NotificationChannel> notificationChannels,
                                KafkaClientProperties kafka) {
        return new AlertNotifier(notifierClients(kafka), properties.notifier().groupId(), settings.topics().alerts(),
                notificationChannels, properties.notifier().retryBackoff(), properties.notifier().maxAttempts(),
                Topics.DEAD_LETTERS.name());
    }

    /** The daily report: {@code alerts.report.enabled=true}, ClickHouse and {@code spring.mail.host} needed. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "alerts.report.enabled", havingValue = "true")
    static class ReportConfiguration {

        @Bean(destroyMethod = "close")
        Client reportClickHouse(AlertsProperties properties) {
            return properties.report().clickhouse().client();
        }

        @Bean
        DailyReports dailyReports(Client reportClickHouse, AlertsRuntime runtime, JavaMailSender mail, AlertsProperties properties,
                                  List<NotificationChannel> notificationChannels) {
            return new DailyReports(new UsageAnalytics(reportClickHouse), runtime::platformMonthlyBudgetUsd, mail,
                    properties.report().from(), properties.report().recipients(), notificationChannels, properties.report().topN());
        }

        @Bean
        DailyReportJob dailyReportJob(DailyReports reports, AlertsProperties properties) {
            return new DailyReportJob(reports, properties);
        }
    }

    /** Every day at {@code alerts.report.cron} (in {@code alerts.zone}): the report of the current day. */
    static final class DailyReportJob {
        private final DailyReports reports;
        private final AlertsProperties properties;

        DailyReportJob(DailyReports reports, AlertsProperties properties) {
            this.reports = reports;
            this.properties = properties;
        }

        @Scheduled(cron = "${alerts.report.cron:0 55 23 * * *}", zone = "${alerts.zone:UTC}")
        void run() {
            reports.send(LocalDate.now(properties.zone()));
        }
    }
}
