package io.aicredits.bench;

import io.aicredits.analytics.rows.MappedRow;
import io.aicredits.analytics.rows.TabSeparatedRows;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ClickHouse server's own insert rate for the sink's rows, as the baseline of the sink phase:
 * the same rows, encoded the same way ({@link TabSeparatedRows}) into a file, inserted with one
 * {@code clickhouse-client --query "INSERT INTO t (columns) FORMAT TabSeparated" < file} over the
 * native protocol. Debian's clickhouse-client comes with the server package.
 */
final class ClickHouseCeiling implements AutoCloseable {

    static final Path CLIENT = Path.of("/usr/bin/clickhouse-client");
    private static final int CHUNK_ROWS = 10_000;

    private final Path file;
    private final OutputStream out;
    private final List<MappedRow> chunk = new ArrayList<>(CHUNK_ROWS);
    private List<String> columns;
    private long rows;

    /** Collects rows into {@code file}. */
    ClickHouseCeiling(Path file) throws IOException {
        this.file = file;
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
    }

    static boolean clientInstalled() {
        return Files.isExecutable(CLIENT);
    }

    void add(MappedRow row) {
        if (columns == null) {
            columns = row.columns();
        }
        chunk.add(row);
        rows++;
        if (chunk.size() == CHUNK_ROWS) {
            writeChunk();
        }
    }

    long rows() {
        return rows;
    }

    private void writeChunk() {
        try {
            TabSeparatedRows.write(chunk, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        chunk.clear();
    }

    /**
     * Inserts every row added so far into {@code database.table} with one clickhouse-client run
     * and returns how long that took (process start included).
     */
    Duration insert(int tcpPort, String database, String table, Path log, Duration timeout)
            throws IOException, InterruptedException {
        writeChunk();
        out.close();
        String query = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") FORMAT " + TabSeparatedRows.FORMAT;
        ProcessBuilder builder = new ProcessBuilder(CLIENT.toString(), "--host", "127.0.0.1", "--port",
                Integer.toString(tcpPort), "--database", database, "--query", query)
                .redirectInput(file.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("clickhouse-client did not finish within " + timeout + "; log " + log);
        }
        long elapsed = System.nanoTime() - start;
        if (process.exitValue() != 0) {
            throw new IllegalStateException("clickhouse-client exited with " + process.exitValue() + ": "
                    + Files.readString(log).strip());
        }
        return Duration.ofNanos(elapsed);
    }

    @Override
    public void close() throws IOException {
        out.close();
        Files.deleteIfExists(file);
    }
}
