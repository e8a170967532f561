package io.aicredits.stream;

import io.aicredits.stream.balances.BalanceLookup;
import io.aicredits.stream.balances.BalanceQueries;
import io.aicredits.stream.balances.BalanceView;
import io.aicredits.stream.balances.BalanceViews;
import io.aicredits.stream.balances.CommandOutcomeView;
import io.aicredits.stream.balances.CommandQueries;
import io.aicredits.stream.balances.PriceList;
import io.aicredits.stream.balances.PriceQueries;
import io.aicredits.stream.credits.Account;
import io.aicredits.stream.credits.Pricing;
import io.aicredits.stream.processing.CommandOutcome;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metering stream without Spring: builds the topology, starts {@link KafkaStreams} with the
 * {@link MeteringStreamsConfig} settings and answers balance and command-outcome queries from the local stores.
 * Used by {@link MeteringStreamApplication} and by other modules' tests against a real broker.
 */
public final class MeteringStreamRuntime implements BalanceQueries, CommandQueries, PriceQueries, AutoCloseable {

    /** Default bound for {@link #start(Properties, MeteringSettings)} to reach RUNNING. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(MeteringStreamRuntime.class);

    private final KafkaStreams streams;
    private final MeteringSettings settings;
    private final MeteringMetrics metrics;
    private final BalanceViews views;
    private final HostInfo self;
    private final CountDownLatch running = new CountDownLatch(1);
    private final KafkaStreamsMetrics streamsMetrics;

    private MeteringStreamRuntime(Properties config, MeteringSettings settings, MeteringMetrics metrics,
                                  io.aicredits.stream.limits.LimitDefaults limits) {
        this.settings = settings;
        this.metrics = metrics;
        this.views = new BalanceViews(settings);
        String server = config.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
        this.self = server == null || server.isBlank() ? null : HostInfo.buildFromEndpoint(server);
        this.streams = new KafkaStreams(MeteringTopology.build(settings, metrics, limits), config);
        streams.setStateListener((now, before) -> {
            log.info("Metering stream state {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            // An exception here is a bug or an unrecoverable broker state: stop rather than skip money events.
            log.error("Metering stream thread failed; shutting the client down", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(metrics.registry());
    }

    /**
     * Starts the stream and waits until it is RUNNING (at most {@link #DEFAULT_STARTUP_TIMEOUT}).
     *
     * @param streamsOverrides at least {@code bootstrap.servers}, {@code application.id}, {@code state.dir}
     */
    public static MeteringStreamRuntime start(Properties streamsOverrides, MeteringSettings settings) {
        return start(streamsOverrides, settings, MeteringMetrics.inMemory(), DEFAULT_STARTUP_TIMEOUT);
    }

    public static MeteringStreamRuntime start(Properties streamsOverrides, MeteringSettings settings,
                                              MeteringMetrics metrics, Duration startupTimeout) {
        MeteringStreamRuntime runtime = launch(streamsOverrides, settings, metrics);
        try {
            runtime.awaitRunning(startupTimeout);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    /**
     * Starts the stream without waiting: queries answer {@link BalanceLookup.Unavailable} until it
     * runs. {@link KafkaStreams#start()} blocks while the global price store restores, so it runs
     * on its own thread.
     */
    public static MeteringStreamRuntime launch(Properties streamsOverrides, MeteringSettings settings, MeteringMetrics metrics) {
        return launch(streamsOverrides, settings, metrics, io.aicredits.stream.limits.LimitDefaults.none());
    }

    /** As {@link #launch(Properties, MeteringSettings, MeteringMetrics)} with default per-user limits. */
    public static MeteringStreamRuntime launch(Properties streamsOverrides, MeteringSettings settings, MeteringMetrics metrics,
                                               io.aicredits.stream.limits.LimitDefaults limits) {
        MeteringStreamRuntime runtime = new MeteringStreamRuntime(MeteringStreamsConfig.create(streamsOverrides), settings,
                metrics, limits);
        Thread starter = new Thread(() -> {
            try {
                runtime.streams.start();
            } catch (RuntimeException e) {
                log.error("Metering stream failed to start", e);
            }
        }, "metering-stream-starter");
        starter.setDaemon(true);
        starter.start();
        return runtime;
    }

    /** Waits until the stream is RUNNING. */
    public void awaitRunning(Duration timeout) {
        try {
            if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("metering stream not RUNNING after " + timeout + " (state " + streams.state() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the metering stream", e);
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    public MeteringSettings settings() {
        return settings;
    }

    public MeteringMetrics metrics() {
        return metrics;
    }

    /** This instance's {@code application.server}, if configured. */
    public Optional<HostInfo> self() {
        return Optional.ofNullable(self);
    }

    /**
     * A user's balances if this instance owns the key; otherwise where to ask, or that nobody can
     * answer right now (rebalancing or restoring).
     */
    @Override
    public BalanceLookup<BalanceView> lookup(String userId) {
        return query(userId, MeteringTopology.BALANCES_STORE, (ReadOnlyKeyValueStore<String, Account> store) ->
                views.view(userId, store.get(userId), System.currentTimeMillis()));
    }

    /**
     * What became of a user's command if this instance owns the user's key (the command's outcome
     * lives in the same task as the user's balances); otherwise where to ask, or that nobody can
     * answer right now.
     */
    @Override
    public BalanceLookup<CommandOutcomeView> commandOutcome(String userId, String commandId) {
        return query(userId, MeteringTopology.COMMANDS_STORE, (ReadOnlyKeyValueStore<String, CommandOutcome> store) ->
                CommandOutcomeView.of(userId, commandId, store.get(commandId)));
    }

    /** Reads {@code storeName} of the task that owns {@code userId}'s key, when this instance owns it. */
    private <V, T> BalanceLookup<T> query(String userId, String storeName, Function<ReadOnlyKeyValueStore<String, V>, T> read) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return new BalanceLookup.Unavailable<>("metering stream is " + streams.state());
        }
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> params = StoreQueryParameters
                .fromNameAndType(storeName, QueryableStoreTypes.<String, V>keyValueStore());
        if (self != null) {
            // Key metadata exists only with application.server; without it this is the only instance.
            // Every store of the processor is partitioned by user id, so the balances store's metadata names the owner.
            KeyQueryMetadata meta = streams.queryMetadataForKey(MeteringTopology.BALANCES_STORE, userId, Serdes.String().serializer());
            if (meta == null || meta.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
                return new BalanceLookup.Unavailable<>("no instance owns the key yet");
            }
            if (!meta.activeHost().equals(self)) {
                return new BalanceLookup.Remote<>(meta.activeHost());
            }
            params = params.withPartition(meta.partition());
        }
        try {
            return new BalanceLookup.Local<>(read.apply(streams.store(params)));
        } catch (InvalidStateStoreException e) {
            log.debug("Store {} for {} not queryable yet: {}", storeName, userId, e.getMessage());
            return new BalanceLookup.Unavailable<>("store is restoring or migrating: " + e.getMessage());
        }
    }

    /**
     * The prices in force: the configured catalog with the overrides of the global price store
     * (every instance holds all of {@code credit.prices}); empty while the stream is not running.
     */
    @Override
    public Optional<PriceList> prices() {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return Optional.empty();
        }
        try {
            ReadOnlyKeyValueStore<String, byte[]> overrides = streams.store(StoreQueryParameters
                    .fromNameAndType(MeteringTopology.PRICES_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
            Map<String, PriceList.PriceView> prices = new LinkedHashMap<>();
            new Pricing(settings, overrides).catalog().forEach((operation, price) -> prices.put(operation,
                    new PriceList.PriceView(price.pool(), price.credits(), price.tokensPerCredit(), price.model())));
            return Optional.of(new PriceList(prices));
        } catch (InvalidStateStoreException e) {
            log.debug("Price store not queryable yet: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The balances of a user whose key this instance owns (or the only instance, without
     * {@code application.server}), waiting up to {@code timeout} while stores restore.
     *
     * @throws IllegalStateException when another instance owns the key or the store stays unavailable
     */
    public BalanceView balance(String userId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            BalanceLookup<BalanceView> lookup = lookup(userId);
            if (lookup instanceof BalanceLookup.Local<BalanceView> local) {
                return local.view();
            }
            if (lookup instanceof BalanceLookup.Remote<BalanceView> remote) {
                throw new IllegalStateException("user " + userId + " is owned by " + remote.owner());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("balance of " + userId + " unavailable: " + ((BalanceLookup.Unavailable<BalanceView>) lookup).reason());
            }
            try {
                Thread.sleep(50); // bounded back-off between store lookups while a rebalance settles
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** {@link #balance(String, Duration)} with a 10 s bound. */
    public BalanceView balance(String userId) {
        return balance(userId, Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        streamsMetrics.close();
        if (!streams.close(Duration.ofSeconds(30))) {
            log.warn("Metering stream did not close within 30 s");
        }
    }
}
