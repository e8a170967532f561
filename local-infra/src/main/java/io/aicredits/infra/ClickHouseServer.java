package io.aicredits.infra;

import com.clickhouse.client.api.Client;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real ClickHouse server: the installed {@code /usr/sbin/clickhouse-server} (Debian ships
 * 18.16) run as a child process with a generated config. It listens on 127.0.0.1 only, on an
 * HTTP and a native TCP port (no interserver port), and keeps everything (data, tmp, user files,
 * format schemas, logs, the generated {@code config.xml}/{@code users.xml}) in its data
 * directory. The {@code default} user has an empty password and may connect from 127.0.0.1 and
 * ::1.
 *
 * <p><b>Nothing outlives the JVM.</b> The server is launched through a small {@code sh} wrapper
 * whose stdin is a pipe from this JVM. When that pipe closes, because {@link #stop()} closed it or
 * because this JVM died (even by SIGKILL), the wrapper sends SIGTERM to clickhouse-server, waits
 * for it and sends SIGKILL after 30 s. {@link #stop()} additionally SIGKILLs the server itself if
 * it is still there after 40 s; a JVM shutdown hook calls {@link #close()}.
 *
 * <p><b>Client settings that work with 18.16</b> ({@link #newClient()}; client-v2 0.11.0, verified
 * by {@code ClickHouseServerTest}):
 * <ul>
 *   <li>{@code compressServerResponse(false)}, {@code compressClientRequest(false)},
 *       {@code useHttpCompression(false)}. With client-v2's default (LZ4 response compression)
 *       queries against 18.16 return <em>empty results without any error</em>.</li>
 *   <li>{@code useServerTimeZone(false)}, {@code setServerTimeZone("UTC")},
 *       {@code useTimeZone("UTC")}: no dependence on what the old server reports; the generated
 *       config also sets the server's {@code timezone} to UTC.</li>
 *   <li>DDL and other statements: {@code client.execute(sql)}.</li>
 *   <li>Inserts: {@code client.insert(table, inputStream, ClickHouseFormat.JSONEachRow)} (or
 *       {@code TabSeparated}). 18.16 reads a {@code Decimal} in JSONEachRow only from an
 *       <em>unquoted</em> JSON number ({@code "cost":0.000123456}); a quoted string fails with
 *       "Cannot parse input".</li>
 *   <li>Reads: an explicit format in the SQL, {@code client.query("SELECT ... FORMAT TabSeparated")}
 *       or {@code FORMAT JSONEachRow}, consuming {@code QueryResponse.getInputStream()} as text.
 *       Decimals come back as plain numbers ({@code 1.500000000}); parse them with
 *       {@code new BigDecimal(text)} (or Jackson with {@code USE_BIG_DECIMAL_FOR_FLOATS}).
 *       {@code queryAll}, {@code queryRecords} and {@code newBinaryFormatReader} use
 *       RowBinaryWithNamesAndTypes, which 18.16 does not have: they fail.</li>
 *   <li>client-v2 0.9.8 cannot read 18.16's error responses (every error becomes
 *       "&lt;Unreadable error message&gt;"); 0.11.0 reports them, e.g.
 *       "Code: 60, e.displayText() = DB::Exception: Table default.x doesn't exist.".</li>
 * </ul>
 */
public final class ClickHouseServer implements AutoCloseable {

    /** Where Debian's clickhouse-server package installs the binary. */
    public static final Path BINARY = Path.of("/usr/sbin/clickhouse-server");

    private static final Logger log = LoggerFactory.getLogger(ClickHouseServer.class);
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);

    /**
     * Runs clickhouse-server in the background, prints its pid, blocks on stdin and, once stdin
     * closes, stops the server (SIGTERM, SIGKILL after 30 s). Arguments: binary, config, log file.
     */
    private static final String WRAPPER = String.join("\n",
            "\"$1\" --config-file=\"$2\" </dev/null >>\"$3\" 2>&1 &",
            "pid=$!",
            "echo \"$pid\"",
            "cat >/dev/null",
            "kill -TERM \"$pid\" 2>/dev/null",
            "( trap 'kill \"$s\" 2>/dev/null; exit 0' TERM; sleep 30 & s=$!; wait \"$s\"; kill -KILL \"$pid\" 2>/dev/null ) &",
            "killer=$!",
            "wait \"$pid\"",
            "kill -TERM \"$killer\" 2>/dev/null",
            "wait \"$killer\"");

    private final Path binary;
    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final int httpPort;
    private final int tcpPort;
    private final Thread shutdownHook;
    private Process wrapper;
    private long serverPid = -1;
    private boolean closed;

    private ClickHouseServer(Path binary, Path dataDir, boolean deleteDataDirOnClose, int httpPort, int tcpPort) {
        this.binary = binary;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.httpPort = httpPort;
        this.tcpPort = tcpPort;
        this.shutdownHook = new Thread(this::closeQuietlyAtExit, "clickhouse-shutdown-" + httpPort);
    }

    /** Starts a server with a temp data dir (deleted by {@link #close()}) on free ports. */
    public static ClickHouseServer start() {
        Path dir = TempDirs.create("clickhouse-");
        try {
            return start(BINARY, dir, 0, 0, true);
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(dir);
            throw e;
        }
    }

    /**
     * Starts a server on a persistent data directory (kept on close).
     *
     * @param httpPort HTTP port on 127.0.0.1, 0 for a free one
     * @param tcpPort  native TCP port on 127.0.0.1, 0 for a free one
     */
    public static ClickHouseServer start(Path dataDir, int httpPort, int tcpPort) {
        return start(BINARY, dataDir, httpPort, tcpPort, false);
    }

    static ClickHouseServer start(Path binary, Path dataDir, int httpPort, int tcpPort, boolean deleteOnClose) {
        requireBinary(binary);
        ClickHouseServer server = new ClickHouseServer(binary, dataDir.toAbsolutePath(), deleteOnClose,
                httpPort == 0 ? FreePorts.next() : httpPort,
                tcpPort == 0 ? FreePorts.next() : tcpPort);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            server.launch();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static void requireBinary(Path binary) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("ClickHouse server binary " + binary + " not found. Install it with: "
                    + "apt-get install -y clickhouse-server clickhouse-client");
        }
    }

    /** {@code http://127.0.0.1:HTTPPORT}. */
    public String endpoint() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int tcpPort() {
        return tcpPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The pid of the running clickhouse-server process, if it is running. */
    public synchronized Optional<Long> pid() {
        return serverPid > 0 && ProcessHandle.of(serverPid).map(ProcessHandle::isAlive).orElse(false)
                ? Optional.of(serverPid) : Optional.empty();
    }

    /**
     * A client-v2 client for this server, configured for ClickHouse 18.16: HTTP, no compression
     * either way, user {@code default} with an empty password, server time zone UTC and version
     * given up front (so the client does not probe the server). Read with an explicit
     * {@code FORMAT} in the SQL; insert with {@code ClickHouseFormat.JSONEachRow} or
     * {@code TabSeparated}. The caller closes it.
     */
    public Client newClient() {
        return new Client.Builder()
                .addEndpoint(endpoint())
                .setUsername("default")
                .setPassword("")
                .setDefaultDatabase("default")
                .compressServerResponse(false)
                .compressClientRequest(false)
                .useHttpCompression(false)
                .useServerTimeZone(false)
                .setServerTimeZone("UTC")
                .useTimeZone("UTC")
                .build();
    }

    /**
     * Stops the server process cleanly (SIGTERM; 18.16 takes about {@code keep_alive_timeout},
     * 3 s, to exit); the data dir and the ports stay reserved for {@link #restart()}.
     */
    public synchronized void stop() {
        stop(true);
    }

    private void stop(boolean graceful) {
        if (wrapper == null) {
            return;
        }
        Process process = wrapper;
        long pid = serverPid;
        wrapper = null;
        serverPid = -1;
        if (!graceful && pid > 0) {
            // A temp data dir is deleted right after: no need to wait for a clean shutdown.
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            log.debug("closing the stdin of the clickhouse wrapper failed: {}", e.toString());
        }
        boolean exited = waitFor(process, STOP_TIMEOUT);
        Optional<ProcessHandle> server = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (!exited || server.map(ProcessHandle::isAlive).orElse(false)) {
            log.warn("clickhouse-server {} did not stop within {}, killing it", pid, STOP_TIMEOUT);
            server.ifPresent(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            waitFor(process, Duration.ofSeconds(10));
            server.ifPresent(handle -> handle.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        }
        log.info("ClickHouse on {} stopped", endpoint());
    }

    /** Starts the server again after {@link #stop()}, on the same ports and data. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("ClickHouse server on " + endpoint() + " is closed");
        }
        if (wrapper != null) {
            throw new IllegalStateException("ClickHouse server on " + endpoint() + " is running; stop() it first");
        }
        launch();
    }

    /**
     * Stops the server and deletes the temp data dir of {@link #start()}; idempotent. A server
     * with a temp dir is SIGKILLed (its data is thrown away anyway), one with a persistent dir is
     * stopped cleanly.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop(!deleteDataDirOnClose);
        } finally {
            if (deleteDataDirOnClose) {
                TempDirs.deleteRecursively(dataDir);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                log.debug("JVM is shutting down; hook of {} stays", endpoint());
            }
        }
    }

    private synchronized void launch() {
        long started = System.nanoTime();
        Path config = writeConfig();
        Path logDir = dataDir.resolve("logs");
        ProcessBuilder builder = new ProcessBuilder("sh", "-c", WRAPPER, "clickhouse-wrapper",
                binary.toString(), config.toString(), logDir.resolve("stdout.log").toString())
                .directory(dataDir.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(logDir.resolve("wrapper.log").toFile()));
        try {
            wrapper = builder.start();
            BufferedReader stdout = new BufferedReader(new InputStreamReader(wrapper.getInputStream(), StandardCharsets.US_ASCII));
            String pidLine = stdout.readLine();
            if (pidLine == null) {
                throw new IllegalStateException("the clickhouse wrapper exited before starting the server; see " + logDir);
            }
            serverPid = Long.parseLong(pidLine.trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot launch " + binary, e);
        }
        awaitPing(logDir);
        log.info("ClickHouse on {} (tcp {}) ready in {} ms (pid {}, data dir {})", endpoint(), tcpPort,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), serverPid, dataDir);
    }

    private void awaitPing(Path logDir) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(endpoint() + "/ping")).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (pid().isEmpty()) {
                throw new IllegalStateException("clickhouse-server exited during start-up; see " + logDir.resolve("clickhouse-server.err.log")
                        + " and " + logDir.resolve("stdout.log") + ":\n" + tail(logDir.resolve("clickhouse-server.err.log")));
            }
            try {
                HttpResponse<String> response = http.send(ping, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().trim().equals("Ok.")) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for ClickHouse", e);
            }
            try {
                // Polling interval of a bounded wait, not a wait for a result.
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for ClickHouse", e);
            }
        }
        throw new IllegalStateException("ClickHouse on " + endpoint() + " did not answer /ping within " + STARTUP_TIMEOUT
                + "; see " + logDir, last);
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "(no " + file.getFileName() + ")";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    private Path writeConfig() {
        Path logs = dataDir.resolve("logs");
        Path config = dataDir.resolve("config.xml");
        try {
            for (String sub : List.of("data", "tmp", "user_files", "format_schemas", "logs")) {
                Files.createDirectories(dataDir.resolve(sub));
            }
            Files.writeString(config, """
                    <?xml version="1.0"?>
                    <yandex>
                        <logger>
                            <level>information</level>
                            <log>%s</log>
                            <errorlog>%s</errorlog>
                            <size>10M</size>
                            <count>2</count>
                            <console>0</console>
                        </logger>
                        <listen_host>127.0.0.1</listen_host>
                        <http_port>%d</http_port>
                        <tcp_port>%d</tcp_port>
                        <max_connections>256</max_connections>
                        <keep_alive_timeout>3</keep_alive_timeout>
                        <max_concurrent_queries>50</max_concurrent_queries>
                        <uncompressed_cache_size>67108864</uncompressed_cache_size>
                        <mark_cache_size>67108864</mark_cache_size>
                        <path>%s/</path>
                        <tmp_path>%s/</tmp_path>
                        <user_files_path>%s/</user_files_path>
                        <format_schema_path>%s/</format_schema_path>
                        <users_config>users.xml</users_config>
                        <default_profile>default</default_profile>
                        <default_database>default</default_database>
                        <timezone>UTC</timezone>
                        <mlock_executable>false</mlock_executable>
                        <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
                        <max_session_timeout>3600</max_session_timeout>
                        <default_session_timeout>60</default_session_timeout>
                    </yandex>
                    """.formatted(logs.resolve("clickhouse-server.log"), logs.resolve("clickhouse-server.err.log"),
                    httpPort, tcpPort, dataDir.resolve("data"), dataDir.resolve("tmp"),
                    dataDir.resolve("user_files"), dataDir.resolve("format_schemas")), StandardCharsets.UTF_8);
            Files.writeString(dataDir.resolve("users.xml"), """
                    <?xml version="1.0"?>
                    <yandex>
                        <profiles>
                            <default>
                                <max_memory_usage>1000000000</max_memory_usage>
                                <use_uncompressed_cache>0</use_uncompressed_cache>
                                <load_balancing>random</load_balancing>
                            </default>
                        </profiles>
                        <users>
                            <default>
                                <password></password>
                                <networks>
                                    <ip>::1</ip>
                                    <ip>127.0.0.1</ip>
                                </networks>
                                <profile>default</profile>
                                <quota>default</quota>
                            </default>
                        </users>
                        <quotas>
                            <default>
                                <interval>
                                    <duration>3600</duration>
                                    <queries>0</queries>
                                    <errors>0</errors>
                                    <result_rows>0</result_rows>
                                    <read_rows>0</read_rows>
                                    <execution_time>0</execution_time>
                                </interval>
                            </default>
                        </quotas>
                    </yandex>
                    """, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ClickHouse config in " + dataDir, e);
        }
        return config;
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void closeQuietlyAtExit() {
        try {
            close();
        } catch (RuntimeException e) {
            log.warn("closing ClickHouse {} at JVM exit failed", endpoint(), e);
        }
    }
}
