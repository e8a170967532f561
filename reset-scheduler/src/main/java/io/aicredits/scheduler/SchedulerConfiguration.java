package io.aicredits.scheduler;

import io.aicredits.events.CreditCommand;
import io.aicredits.schemas.MonthlyCalendar;
import io.aicredits.schemas.Topic;
import io.aicredits.schemas.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the scheduler. Kafka clients are created lazily, so {@code --dry-run} needs no broker. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SchedulerProperties.class, KafkaClientProperties.class})
class SchedulerConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    MonthlyCalendar monthlyCalendar(SchedulerProperties properties) {
        return new MonthlyCalendar(MonthlyCalendar.parseZone(properties.zone()));
    }

    /** {@code spring.kafka.properties.*} (shared by every app: security) then {@code scheduler.kafka.*} reach both clients. */
    @Bean
    KafkaClientFactory kafkaClientFactory(SchedulerProperties properties, KafkaClientProperties kafka) {
        Map<String, String> extra = new HashMap<>(kafka.properties());
        extra.putAll(properties.kafka());
        return new KafkaClientFactory(kafka.bootstrapServers(), properties.transactionalId(), extra);
    }

    @Bean(destroyMethod = "close")
    PeriodOpener periodOpener(SchedulerProperties properties, KafkaClientFactory clients, MonthlyCalendar calendar,
                              Clock clock) {
        Topic<String, CreditCommand> topic = Topics.CREDIT_COMMANDS.withName(properties.commandsTopic());
        OpenedPeriodsReader reader = new OpenedPeriodsReader(topic, clients, properties.scanWindow(), properties.kafkaTimeout());
        return new PeriodOpener(topic, clients, reader, calendar, clock);
    }

    @Bean(destroyMethod = "close")
    ClockFireScheduler fireScheduler(SchedulerProperties properties, Clock clock) {
        return new ClockFireScheduler(clock, properties.maxSleep());
    }

    @Bean(destroyMethod = "stop")
    MonthlyResetService monthlyResetService(PeriodOpener opener, MonthlyCalendar calendar, ClockFireScheduler scheduler,
                                            Clock clock, SchedulerProperties properties) {
        return new MonthlyResetService(opener, calendar, scheduler, clock, properties.retryBackoff());
    }

    @Bean
    SchedulerCommandLine schedulerCommandLine(MonthlyResetService service, PeriodOpener opener, MonthlyCalendar calendar,
                                              Clock clock, SchedulerProperties properties) {
        // Command output (dry-run listing, open-period result) goes to stdout, logs go to the logger.
        return new SchedulerCommandLine(service, opener, calendar, clock, properties, System.out);
    }

    @Bean
    ResetSchedulerHealthIndicator resetSchedulerHealthIndicator(MonthlyResetService service) {
        return new ResetSchedulerHealthIndicator(service);
    }

    /** {@code reset.scheduler.last.success} (epoch seconds, 0 before the first) and {@code reset.scheduler.failing} (1 while retrying). */
    @Bean
    MeterBinder resetSchedulerMetrics(MonthlyResetService service) {
        return registry -> {
            Gauge.builder("reset.scheduler.last.success", service,
                            s -> s.status().lastSuccessAt() == null ? 0 : s.status().lastSuccessAt().getEpochSecond())
                    .description("When opening due periods last succeeded")
                    .baseUnit("seconds")
                    .register(registry);
            Gauge.builder("reset.scheduler.failing", service, s -> s.status().lastFailure() == null ? 0 : 1)
                    .description("1 while the last attempt to open due periods failed and is being retried")
                    .register(registry);
        };
    }
}
