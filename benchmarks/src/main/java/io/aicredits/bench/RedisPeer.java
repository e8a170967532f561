package io.aicredits.bench;

import io.aicredits.infra.FreePorts;
import io.aicredits.infra.TempDirs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The LiteLLM-style counter peer: Debian's Redis server started on a free port of 127.0.0.1 with
 * {@code appendonly yes} and {@code appendfsync everysec}, and one Lua script per decision that
 * reads the balance (a missing key is a new user with {@link PeerDecisions#INITIAL_CREDITS}),
 * checks it, decrements it and {@code XADD}s a ledger entry with the balance after, atomically.
 */
final class RedisPeer implements PeerDecisions.Peer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    static final String LEDGER = "ledger";
    private static final String DECIDE = """
            local credits = tonumber(redis.call('GET', KEYS[1]) or ARGV[2])
            local price = tonumber(ARGV[1])
            if credits < price then return -1 end
            credits = credits - price
            redis.call('SET', KEYS[1], credits)
            redis.call('XADD', KEYS[2], '*', 'user', ARGV[3], 'request', ARGV[4], 'delta', -price, 'balance_after', credits)
            return credits
            """;

    private final Process server;
    private final Path dir;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> admin;
    private final String decideSha;

    private RedisPeer(Process server, Path dir, RedisClient client) {
        this.server = server;
        this.dir = dir;
        this.client = client;
        this.admin = client.connect();
        this.decideSha = admin.sync().scriptLoad(DECIDE);
    }

    /** {@code redis-server} on the PATH or in /usr/bin; empty when not installed. */
    static Optional<Path> binary() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/sbin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static RedisPeer start(Path binary) throws Exception {
        Path dir = TempDirs.create("aicredits-bench-redis-");
        int port = FreePorts.next();
        Process server = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
                "--daemonize", "no", "--protected-mode", "yes")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port).withTimeout(Duration.ofSeconds(30)).build());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                return new RedisPeer(server, dir, client);
            } catch (RuntimeException e) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    client.shutdown();
                    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    TempDirs.deleteRecursively(dir);
                    throw new IllegalStateException("redis-server did not start; see its log", e);
                }
                Thread.sleep(100);
            }
        }
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public PeerDecisions.Decider newDecider() {
        StatefulRedisConnection<String, String> connection = client.connect();
        RedisCommands<String, String> redis = connection.sync();
        String initial = Long.toString(PeerDecisions.INITIAL_CREDITS);
        String price = Long.toString(PeerDecisions.PRICE);
        return new PeerDecisions.Decider() {
            @Override
            public boolean decide(String userId, String requestId) {
                Long after = redis.evalsha(decideSha, ScriptOutputType.INTEGER, new String[] {"credits:" + userId, LEDGER},
                        price, initial, userId, requestId);
                return after >= 0;
            }

            @Override
            public void close() {
                connection.close();
            }
        };
    }

    @Override
    public void reset() {
        admin.sync().flushall();
    }

    @Override
    public long ledgerRows() {
        return admin.sync().xlen(LEDGER);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            admin.close();
            client.shutdown();
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            TempDirs.deleteRecursively(dir);
        }
    }
}
