package io.aicredits.alerts.report;

import io.aicredits.alerts.notify.NotificationChannel;
import io.aicredits.analytics.AnalyticsPeriod;
import io.aicredits.analytics.AnalyticsRecords.OperationUsage;
import io.aicredits.analytics.UsageAnalytics;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * Builds the daily report from ClickHouse ({@link UsageAnalytics} over {@code usage_daily}) and
 * sends it by email to the super admins and to the notification channels.
 */
public final class DailyReports {

    private static final Logger log = LoggerFactory.getLogger(DailyReports.class);

    private final UsageAnalytics analytics;
    private final Supplier<BigDecimal> monthlyBudgetUsd;
    private final JavaMailSender mail;
    private final String from;
    private final List<String> recipients;
    private final List<NotificationChannel> channels;
    private final int topN;

    /**
     * @param monthlyBudgetUsd the platform monthly budget in force (null or 0: none)
     * @param recipients       super admins' email addresses
     */
    public DailyReports(UsageAnalytics analytics, Supplier<BigDecimal> monthlyBudgetUsd, JavaMailSender mail, String from,
                        List<String> recipients, List<NotificationChannel> channels, int topN) {
        this.analytics = analytics;
        this.monthlyBudgetUsd = monthlyBudgetUsd;
        this.mail = mail;
        this.from = from;
        this.recipients = List.copyOf(recipients);
        this.channels = List.copyOf(channels);
        this.topN = topN;
    }

    public DailyReport build(LocalDate day) {
        AnalyticsPeriod today = AnalyticsPeriod.day(day);
        AnalyticsPeriod monthToDate = new AnalyticsPeriod(day.withDayOfMonth(1), day.plusDays(1));
        List<OperationUsage> operations = analytics.popularOperations(today).stream()
                .sorted(Comparator.comparingLong(OperationUsage::requests).reversed()
                        .thenComparing(OperationUsage::costUsd, Comparator.reverseOrder())
                        .thenComparing(OperationUsage::operationType))
                .limit(topN).toList();
        BigDecimal budget = monthlyBudgetUsd.get();
        return new DailyReport(day, analytics.totals(today), analytics.totals(monthToDate), analytics.topUsersByCost(today, topN),
                operations, budget == null || budget.signum() == 0 ? null : budget);
    }

    /** Builds the report of {@code day} and sends it everywhere; a failing channel does not stop the others. */
    public DailyReport send(LocalDate day) {
        DailyReport report = build(day);
        if (!recipients.isEmpty()) {
            try {
                MimeMessage message = mail.createMimeMessage();
                MimeMessageHelper helper = new MimeMessageHelper(message, false, "UTF-8");
                helper.setFrom(from);
                helper.setTo(recipients.toArray(String[]::new));
                helper.setSubject(report.subject());
                helper.setText(report.text(), false);
                mail.send(message);
                log.info("Daily report {} emailed to {}", day, recipients);
            } catch (MessagingException | MailException e) {
                log.error("Daily report {} could not be emailed to {}", day, recipients, e);
            }
        }
        for (NotificationChannel channel : channels) {
            try {
                channel.send("daily-report/" + day, report.subject() + "\n\n" + report.text(), report.payload());
            } catch (NotificationChannel.DeliveryException e) {
                log.error("Daily report {} not delivered to {}", day, channel.name(), e);
            }
        }
        return report;
    }
}
