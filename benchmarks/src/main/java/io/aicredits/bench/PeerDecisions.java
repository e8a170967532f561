package io.aicredits.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The credit decision as the peers make it (check the balance, deduct, append a ledger row, in
 * one durable step), driven by closed-loop client threads over a fixed sequence of users, so every
 * peer sees the same Zipf-skewed user set as the metering stream's {@code decisions} phase.
 */
final class PeerDecisions {

    /** Credits every user starts with, and the price of one decision (a text generation). */
    static final long INITIAL_CREDITS = 100;
    static final long PRICE = 1;

    /** One client's connection: decides one request; true when approved (and the ledger row written). */
    interface Decider extends AutoCloseable {
        boolean decide(String userId, String requestId) throws Exception;

        @Override
        void close() throws Exception;
    }

    /** A peer: opens one {@link Decider} per client thread and can put every balance back to the start. */
    interface Peer extends AutoCloseable {
        String name();

        Decider newDecider() throws Exception;

        /** Every user back to {@link #INITIAL_CREDITS}, the ledger empty. */
        void reset() throws Exception;

        /** Ledger rows written since the last reset (for the overspend check). */
        long ledgerRows() throws Exception;

        @Override
        void close() throws Exception;
    }

    /** What one run did. */
    record Run(int clients, long decisions, long approvals, double seconds, Histogram latencyMicros) {
        double rate() {
            return decisions / seconds;
        }
    }

    private PeerDecisions() {
    }

    /** The same user sequence as the {@code decisions} phase (same sampler, same seed). */
    static String[] zipfUsers(int users, int requests) {
        ZipfSampler sampler = new ZipfSampler(users, 1.0, 13);
        String[] sequence = new String[requests];
        for (int i = 0; i < requests; i++) {
            sequence[i] = Events.userId(sampler.next());
        }
        return sequence;
    }

    /**
     * {@code clients} threads, each with its own decider, take the next request of {@code sequence}
     * until all are decided or {@code timeout} passes; latency per decision from the client's view.
     */
    static Run drive(Peer peer, int clients, String[] sequence, String requestPrefix, Duration timeout) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong approvals = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Recorder recorder = new Recorder(Duration.ofSeconds(60).toNanos() / 1000, 3);
        List<Decider> deciders = new ArrayList<>();
        try {
            for (int c = 0; c < clients; c++) {
                deciders.add(peer.newDecider());
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            CountDownLatch done = new CountDownLatch(clients);
            long start = System.nanoTime();
            for (Decider decider : deciders) {
                Thread thread = new Thread(() -> {
                    try {
                        for (int i = next.getAndIncrement(); i < sequence.length && System.nanoTime() < deadline && failure.get() == null;
                             i = next.getAndIncrement()) {
                            long t0 = System.nanoTime();
                            if (decider.decide(sequence[i], requestPrefix + i)) {
                                approvals.incrementAndGet();
                            }
                            recorder.recordValue(Math.min((System.nanoTime() - t0) / 1000, Duration.ofSeconds(60).toNanos() / 1000));
                        }
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        done.countDown();
                    }
                }, "peer-" + peer.name() + "-client");
                thread.setDaemon(true);
                thread.start();
            }
            done.await();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (failure.get() != null) {
                throw failure.get();
            }
            Histogram latency = recorder.getIntervalHistogram();
            return new Run(clients, latency.getTotalCount(), approvals.get(), seconds, latency);
        } finally {
            for (Decider decider : deciders) {
                decider.close();
            }
        }
    }

    /** The outcome of {@link #overspendCheck}. */
    record OverspendCheck(long requests, long approvals, long ledgerRows) {
        /** Exactly the user's credits approved, and a ledger row for each. */
        boolean exact() {
            return approvals == INITIAL_CREDITS / PRICE && ledgerRows == approvals;
        }

        @Override
        public String toString() {
            return (exact() ? "exact: " : "WRONG: ") + approvals + " approvals of " + requests + " concurrent for one "
                    + INITIAL_CREDITS + "-credit user, " + ledgerRows + " ledger rows";
        }
    }

    /**
     * The overspend check: {@code requests} concurrent decisions for one user who has
     * {@link #INITIAL_CREDITS}; a correct peer approves exactly that many and writes as many ledger rows.
     */
    static OverspendCheck overspendCheck(Peer peer, int clients, int requests) throws Exception {
        peer.reset();
        String[] sameUser = new String[requests];
        Arrays.fill(sameUser, Events.userId(0));
        Run run = drive(peer, clients, sameUser, "overspend-", Duration.ofMinutes(2));
        return new OverspendCheck(requests, run.approvals(), peer.ledgerRows());
    }
}
