package io.aicredits.scheduler;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A {@link FireScheduler} the test drives: tasks run when the test calls {@link #runDue}. */
final class ManualFireScheduler implements FireScheduler {

    private final List<Entry> pending = new ArrayList<>();

    @Override
    public synchronized Scheduled schedule(Instant at, Runnable task) {
        Entry entry = new Entry(at, task);
        pending.add(entry);
        return () -> {
            synchronized (ManualFireScheduler.this) {
                pending.remove(entry);
            }
        };
    }

    /** The earliest fire time waiting, if any. */
    synchronized Instant nextFireTime() {
        return pending.stream().map(Entry::at).min(Comparator.naturalOrder()).orElse(null);
    }

    /** Runs, in time order, every task due at {@code now}; tasks they schedule for later wait. */
    void runDue(Instant now) {
        while (true) {
            Entry due;
            synchronized (this) {
                due = pending.stream().filter(e -> !e.at().isAfter(now)).min(Comparator.comparing(Entry::at)).orElse(null);
                if (due == null) {
                    return;
                }
                pending.remove(due);
            }
            due.task().run();
        }
    }

    private record Entry(Instant at, Runnable task) {
    }
}
