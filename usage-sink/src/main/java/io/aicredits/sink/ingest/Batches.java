package io.aicredits.sink.ingest;

import io.aicredits.analytics.rows.MappedRow;
import java.util.ArrayList;
import java.util.List;

/** How a partition's pending rows are cut into inserts. */
final class Batches {

    /**
     * Cuts rows (in offset order) into runs of consecutive rows of the same month, keeping the
     * order. Inserting the runs one after the other means that whatever has been committed is
     * always a prefix of the partition's offsets, so {@code max(kafka_offset) + 1} is exactly
     * where to resume, even when a crash happens between two runs.
     */
    static List<List<MappedRow>> splitByMonth(List<MappedRow> rows) {
        List<List<MappedRow>> runs = new ArrayList<>();
        List<MappedRow> run = new ArrayList<>();
        for (MappedRow row : rows) {
            if (!run.isEmpty() && run.get(0).month() != row.month()) {
                runs.add(run);
                run = new ArrayList<>();
            }
            run.add(row);
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }

    private Batches() {
    }
}
