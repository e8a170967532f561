package io.aicredits.sink.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.analytics.rows.MappedRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {

    private static MappedRow row(long offset, int month) {
        return new MappedRow(offset, month, List.of("kafka_offset"), List.of(offset));
    }

    @Test
    void shouldCutRowsIntoSameMonthRunsKeepingOffsetOrder() {
        // Given rows of one partition crossing a month boundary and back (late events)
        List<MappedRow> rows = List.of(row(10, 202501), row(11, 202501), row(12, 202502), row(13, 202501), row(14, 202501));

        // When
        List<List<MappedRow>> runs = Batches.splitByMonth(rows);

        // Then every run is one month and the runs concatenate to the original order
        assertThat(runs).extracting(run -> run.stream().map(MappedRow::offset).toList())
                .containsExactly(List.of(10L, 11L), List.of(12L), List.of(13L, 14L));
    }

    @Test
    void shouldKeepASingleMonthBatchAsOneInsert() {
        assertThat(Batches.splitByMonth(List.of(row(1, 202501), row(2, 202501)))).hasSize(1);
        assertThat(Batches.splitByMonth(List.of())).isEmpty();
    }
}
