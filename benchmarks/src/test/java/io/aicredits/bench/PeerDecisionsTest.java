package io.aicredits.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PeerDecisionsTest {

    /** A correct in-memory peer: check and deduct under one lock, a ledger row per approval. */
    static class InMemoryPeer implements PeerDecisions.Peer {
        final Map<String, Long> balances = new ConcurrentHashMap<>();
        final AtomicLong ledger = new AtomicLong();
        final boolean writesLedger;

        InMemoryPeer(boolean writesLedger) {
            this.writesLedger = writesLedger;
        }

        @Override
        public String name() {
            return "memory";
        }

        @Override
        public PeerDecisions.Decider newDecider() {
            return new PeerDecisions.Decider() {
                @Override
                public boolean decide(String userId, String requestId) {
                    synchronized (balances) {
                        long credits = balances.getOrDefault(userId, PeerDecisions.INITIAL_CREDITS);
                        if (credits < PeerDecisions.PRICE) {
                            return false;
                        }
                        balances.put(userId, credits - PeerDecisions.PRICE);
                        if (writesLedger) {
                            ledger.incrementAndGet();
                        }
                        return true;
                    }
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void reset() {
            balances.clear();
            ledger.set(0);
        }

        @Override
        public long ledgerRows() {
            return ledger.get();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void shouldDrawTheSameUserSequenceAsTheDecisionsPhase() {
        ZipfSampler sampler = new ZipfSampler(1_000, 1.0, 13);
        String[] sequence = PeerDecisions.zipfUsers(1_000, 500);
        for (String user : sequence) {
            assertThat(user).isEqualTo(Events.userId(sampler.next()));
        }
    }

    @Test
    void shouldDecideEveryRequestOfTheSequence() throws Exception {
        String[] sequence = PeerDecisions.zipfUsers(100, 5_000);
        PeerDecisions.Run run = PeerDecisions.drive(new InMemoryPeer(true), 8, sequence, "req-", Duration.ofSeconds(30));

        assertThat(run.decisions()).isEqualTo(5_000);
        assertThat(run.latencyMicros().getTotalCount()).isEqualTo(5_000);
        // user-0 alone draws far more than 100 requests, so some are refused
        assertThat(run.approvals()).isLessThan(5_000).isGreaterThan(0);
    }

    @Test
    void shouldCallACorrectPeerExact() throws Exception {
        PeerDecisions.OverspendCheck check = PeerDecisions.overspendCheck(new InMemoryPeer(true), 16, 1_000);

        assertThat(check.exact()).isTrue();
        assertThat(check).hasToString("exact: 100 approvals of 1000 concurrent for one 100-credit user, 100 ledger rows");
    }

    @Test
    void shouldCallAPeerWhoseLedgerMissesApprovalsWrong() throws Exception {
        PeerDecisions.OverspendCheck check = PeerDecisions.overspendCheck(new InMemoryPeer(false), 16, 1_000);

        assertThat(check.exact()).isFalse();
        assertThat(check.toString()).startsWith("WRONG: 100 approvals of 1000");
    }
}
