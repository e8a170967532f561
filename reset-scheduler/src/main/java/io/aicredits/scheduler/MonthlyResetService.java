package io.aicredits.scheduler;

import io.aicredits.schemas.MonthlyCalendar;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling loop: on start, catches up (opens every period missed while down), then fires
 * at each next opening. A failed attempt (broker unavailable) is logged and retried after
 * {@code retryBackoff}; nothing is lost because each attempt re-reads the topic.
 */
final class MonthlyResetService {

    private static final Logger log = LoggerFactory.getLogger(MonthlyResetService.class);

    private final PeriodOpener opener;
    private final MonthlyCalendar calendar;
    private final FireScheduler scheduler;
    private final Clock clock;
    private final Duration retryBackoff;
    private FireScheduler.Scheduled next;
    private boolean running;
    private volatile Status status = new Status(null, null, null, null, null);

    /**
     * What the loop did last, for the health endpoint.
     *
     * @param lastAttemptAt when it last tried to open due periods (null before the first attempt)
     * @param lastSuccessAt when an attempt last succeeded
     * @param openPeriod    the period open after the last successful attempt
     * @param nextFireAt    when it will try next
     * @param lastFailure   the error of the last attempt, null if it succeeded
     */
    record Status(Instant lastAttemptAt, Instant lastSuccessAt, String openPeriod, Instant nextFireAt, String lastFailure) {
    }

    MonthlyResetService(PeriodOpener opener, MonthlyCalendar calendar, FireScheduler scheduler, Clock clock,
                        Duration retryBackoff) {
        this.opener = opener;
        this.calendar = calendar;
        this.scheduler = scheduler;
        this.clock = clock;
        this.retryBackoff = retryBackoff;
    }

    /** Catches up now (on the caller's thread), then schedules the next opening. */
    synchronized void start() {
        running = true;
        log.info("Reset scheduler starting in zone {}: catching up with the periods on the commands topic", calendar.zone());
        openDueAndScheduleNext();
    }

    Status status() {
        return status;
    }

    synchronized void stop() {
        running = false;
        if (next != null) {
            next.cancel();
            next = null;
        }
    }

    private synchronized void openDueAndScheduleNext() {
        if (!running) {
            return;
        }
        Instant attemptAt = clock.instant();
        Instant fireAt;
        try {
            opener.openDuePeriods();
            Instant now = clock.instant();
            fireAt = calendar.nextOpeningAfter(now);
            status = new Status(attemptAt, now, MonthlyCalendar.periodId(calendar.periodAt(now)), fireAt, null);
            log.info("Next period {} opens at {} ({})",
                    MonthlyCalendar.periodId(calendar.periodAt(fireAt)), fireAt, fireAt.atZone(calendar.zone()));
        } catch (RuntimeException e) {
            fireAt = clock.instant().plus(retryBackoff);
            Status previous = status;
            status = new Status(attemptAt, previous.lastSuccessAt(), previous.openPeriod(), fireAt, e.toString());
            log.error("Opening due periods failed; retrying at {}", fireAt, e);
        }
        next = scheduler.schedule(fireAt, this::openDueAndScheduleNext);
    }
}
