package io.aicredits.bench;

import io.aicredits.infra.FreePorts;
import io.aicredits.infra.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The seed-style SQL peer: Debian's PostgreSQL server started by the benchmark on a free port of
 * 127.0.0.1 in a temp dir (as user {@code postgres} when the benchmark runs as root, since
 * PostgreSQL refuses root), one table of balances and one ledger table. A decision is
 * {@code UPDATE balances SET credits = credits - price WHERE user_id = ? AND credits >= price
 * RETURNING credits} and, when a row came back, the ledger {@code INSERT}, in one transaction.
 * {@code synchronous_commit} is set per connection: {@code on} waits for the WAL fsync of every
 * commit, {@code off} does not (like a single Kafka broker, which does not fsync each write).
 */
final class PostgresPeer implements PeerDecisions.Peer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process server;
    private final Path dir;
    private final String url;
    private final int users;
    private boolean synchronousCommit = true;

    private PostgresPeer(Process server, Path dir, String url, int users) {
        this.server = server;
        this.dir = dir;
        this.url = url;
        this.users = users;
    }

    /** The directory of {@code initdb} and {@code postgres}, newest version of 15 or later; empty when not installed. */
    static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+") && Integer.parseInt(v.getFileName().toString()) >= 15)
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("initdb")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Creates a cluster in a new temp dir of its own (its owner must be able to reach it, so not
     * inside the benchmark's private work dir), starts it, and creates the tables and {@code users}
     * users with {@link PeerDecisions#INITIAL_CREDITS}.
     */
    static PostgresPeer start(Path bin, int users) throws Exception {
        Path dir = TempDirs.create("aicredits-bench-pg-");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
        }
        Path data = dir.resolve("data");
        run(command(root, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "bench", "-A", "trust", "-E", "UTF8", "--no-sync"),
                dir.resolve("initdb.log"));
        int port = FreePorts.next();
        ProcessBuilder builder = new ProcessBuilder(command(root, bin.resolve("postgres").toString(), "-D", data.toString(),
                "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dir,
                "-c", "max_connections=120", "-c", "shared_buffers=256MB", "-c", "fsync=on", "-c", "synchronous_commit=on",
                "-c", "max_wal_size=2GB"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("postgres.log").toFile());
        Process server = builder.start();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=bench";
        PostgresPeer peer = new PostgresPeer(server, dir, url, users);
        try {
            peer.awaitStarted();
            peer.createSchema();
            return peer;
        } catch (Exception e) {
            peer.close();
            throw e;
        }
    }

    /** Whether the next deciders wait for each commit's WAL flush. */
    void synchronousCommit(boolean on) {
        this.synchronousCommit = on;
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public PeerDecisions.Decider newDecider() throws SQLException {
        Connection connection = DriverManager.getConnection(url);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET synchronous_commit = " + (synchronousCommit ? "on" : "off"));
        }
        connection.setAutoCommit(false);
        PreparedStatement deduct = connection.prepareStatement(
                "UPDATE balances SET credits = credits - ? WHERE user_id = ? AND credits >= ? RETURNING credits");
        PreparedStatement ledger = connection.prepareStatement(
                "INSERT INTO ledger (user_id, request_id, delta, balance_after) VALUES (?, ?, ?, ?)");
        return new PeerDecisions.Decider() {
            @Override
            public boolean decide(String userId, String requestId) throws SQLException {
                deduct.setLong(1, PeerDecisions.PRICE);
                deduct.setString(2, userId);
                deduct.setLong(3, PeerDecisions.PRICE);
                boolean approved;
                try (ResultSet balance = deduct.executeQuery()) {
                    approved = balance.next();
                    if (approved) {
                        ledger.setString(1, userId);
                        ledger.setString(2, requestId);
                        ledger.setLong(3, -PeerDecisions.PRICE);
                        ledger.setLong(4, balance.getLong(1));
                        ledger.executeUpdate();
                    }
                }
                connection.commit();
                return approved;
            }

            @Override
            public void close() throws SQLException {
                connection.close();
            }
        };
    }

    @Override
    public void reset() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE ledger");
            statement.execute("UPDATE balances SET credits = " + PeerDecisions.INITIAL_CREDITS + " WHERE credits <> " + PeerDecisions.INITIAL_CREDITS);
            statement.execute("VACUUM ANALYZE balances");
            statement.execute("CHECKPOINT");
        }
    }

    @Override
    public long ledgerRows() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM ledger")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void createSchema() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE balances (user_id text PRIMARY KEY, credits bigint NOT NULL)");
            statement.execute("CREATE TABLE ledger (id bigserial PRIMARY KEY, user_id text NOT NULL, request_id text NOT NULL,"
                    + " delta bigint NOT NULL, balance_after bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
            // Ranks are 0-based: user-0 .. user-(n-1), as Events.userId names them.
            statement.execute("INSERT INTO balances SELECT 'user-' || g, " + PeerDecisions.INITIAL_CREDITS
                    + " FROM generate_series(0, " + (users - 1) + ") g");
            statement.execute("VACUUM ANALYZE balances");
        }
    }

    private void awaitStarted() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("postgres exited with code " + server.exitValue() + "; see " + dir.resolve("postgres.log"));
            }
            try (Connection ignored = DriverManager.getConnection(url)) {
                return;
            } catch (SQLException e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("postgres did not accept connections within " + START_TIMEOUT, last);
    }

    /** Stops the server (every client is closed by then, so SIGTERM's smart shutdown ends at once) and deletes its dir. */
    @Override
    public void close() throws InterruptedException {
        server.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        TempDirs.deleteRecursively(dir);
    }

    private static List<String> command(boolean asPostgres, String... command) {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed; see " + log + ":\n" + Files.readString(log));
        }
    }
}
