package io.aicredits.scheduler;

import io.aicredits.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the reset scheduler ({@code scheduler.*}); the broker comes from
 * {@code spring.kafka.bootstrap-servers}.
 *
 * @param zone            IANA zone whose midnight on the 1st opens a period
 * @param commandsTopic   name of the commands topic; default that of {@code Topics.CREDIT_COMMANDS}, whose serdes
 *                        are used either way
 * @param transactionalId shared by all instances: the newest instance fences the older ones
 * @param scanWindow      records read per step when scanning a partition backwards for the latest opening
 * @param kafkaTimeout    bound on each Kafka metadata/offset call and on one scan window
 * @param retryBackoff    wait before retrying a failed opening attempt
 * @param maxSleep        longest single sleep of the scheduling thread before it re-reads the clock
 * @param dryRunCount     default number of openings printed by {@code --dry-run}
 * @param kafka           extra Kafka client properties (security, timeouts), passed through as is
 */
@ConfigurationProperties("scheduler")
record SchedulerProperties(
        @DefaultValue("UTC") String zone,
        String commandsTopic,
        @DefaultValue("reset-scheduler") String transactionalId,
        @DefaultValue("500") int scanWindow,
        @DefaultValue("30s") Duration kafkaTimeout,
        @DefaultValue("30s") Duration retryBackoff,
        @DefaultValue("1h") Duration maxSleep,
        @DefaultValue("12") int dryRunCount,
        Map<String, String> kafka) {

    SchedulerProperties {
        commandsTopic = commandsTopic == null ? Topics.CREDIT_COMMANDS.name() : commandsTopic;
        kafka = kafka == null ? Map.of() : Map.copyOf(kafka);
    }
}
