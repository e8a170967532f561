package io.aicredits.scheduler;

import io.aicredits.schemas.MonthlyCalendar;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/**
 * Chooses what the process does:
 * <ul>
 *   <li>no arguments: run the scheduler (catch up, then open each month);</li>
 *   <li>{@code --dry-run [--count=N] [--zone=Z]}: print the next N openings and exit (no broker needed);</li>
 *   <li>{@code open-period YYYY-MM}: open that period on every partition now and exit.</li>
 * </ul>
 */
class SchedulerCommandLine implements ApplicationRunner {

    static final String OPEN_PERIOD = "open-period";

    private final MonthlyResetService service;
    private final PeriodOpener opener;
    private final MonthlyCalendar calendar;
    private final Clock clock;
    private final SchedulerProperties properties;
    private final PrintStream out;
    private volatile boolean oneShot;

    SchedulerCommandLine(MonthlyResetService service, PeriodOpener opener, MonthlyCalendar calendar, Clock clock,
                         SchedulerProperties properties, PrintStream out) {
        this.service = service;
        this.opener = opener;
        this.calendar = calendar;
        this.clock = clock;
        this.properties = properties;
        this.out = out;
    }

    /** Whether the arguments asked for a one-shot command, after which the process should exit. */
    boolean oneShot() {
        return oneShot;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<String> commands = args.getNonOptionArgs();
        if (args.containsOption("dry-run")) {
            oneShot = true;
            ZoneId zone = args.containsOption("zone") ? MonthlyCalendar.parseZone(single(args, "zone")) : calendar.zone();
            int count = args.containsOption("count") ? parseCount(single(args, "count")) : properties.dryRunCount();
            printOpenings(new MonthlyCalendar(zone), clock.instant(), count, out);
            return;
        }
        if (!commands.isEmpty()) {
            oneShot = true;
            if (!commands.get(0).equals(OPEN_PERIOD) || commands.size() != 2) {
                throw new IllegalArgumentException("Usage: open-period YYYY-MM | --dry-run [--count=N] [--zone=Z]; got: "
                        + String.join(" ", args.getSourceArgs()));
            }
            YearMonth period = MonthlyCalendar.parsePeriodId(commands.get(1));
            int partitions = opener.openPeriod(period);
            out.println("Period " + MonthlyCalendar.periodId(period) + " opened on " + partitions + " partitions");
            return;
        }
        service.start();
    }

    /** Prints one line per coming opening: period id, local start, UTC instant. */
    static void printOpenings(MonthlyCalendar calendar, Instant now, int count, PrintStream out) {
        out.println("Next " + count + " period openings in " + calendar.zone() + " after " + now + ":");
        for (YearMonth period : calendar.nextPeriodsAfter(now, count)) {
            Instant start = calendar.startOf(period);
            out.println(MonthlyCalendar.periodId(period) + "  " + start.atZone(calendar.zone()).toOffsetDateTime() + "  " + start);
        }
    }

    private static String single(ApplicationArguments args, String option) {
        List<String> values = args.getOptionValues(option);
        if (values == null || values.size() != 1) {
            throw new IllegalArgumentException("--" + option + " needs exactly one value, e.g. --" + option + "=...");
        }
        return values.get(0);
    }

    private static int parseCount(String value) {
        try {
            int count = Integer.parseInt(value);
            if (count < 1) {
                throw new IllegalArgumentException("--count must be at least 1, got " + value);
            }
            return count;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--count must be a number, got " + value, e);
        }
    }
}
