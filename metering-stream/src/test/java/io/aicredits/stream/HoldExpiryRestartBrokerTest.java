package io.aicredits.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.schemas.Topics;
import io.aicredits.stream.testing.BrokerPerClass;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds placed by one instance and never reported expire in the instance that restarts on the same
 * state: the index of open holds is kept in memory only, so it must be rebuilt from the holds store
 * when the task starts again, and each expired hold gives its credits back exactly once.
 */
class HoldExpiryRestartBrokerTest {

    private static final int USERS = 4;
    private static final int HOLDS_PER_USER = 3;
    private static final Duration HOLD_TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final BrokerPerClass kafka = new BrokerPerClass(3);

    @TempDir
    static Path dir;

    @Test
    void shouldExpireHoldsPlacedBeforeARestartExactlyOnceAndGiveTheirCreditsBack() {
        MeteringSettings settings = MeteringSettings.defaults().withHoldTimeout(HOLD_TIMEOUT)
                .withPunctuateInterval(Duration.ofMillis(200));
        Properties props = StreamChildMain.properties(kafka.broker().bootstrapServers(), "hold-restart", dir.resolve("state"));
        List<AiRequest> requests = new ArrayList<>();
        for (int i = 0; i < USERS * HOLDS_PER_USER; i++) {
            requests.add(BrokerClients.request("user-" + (i % USERS), "req-" + i, "image_generation"));
        }

        // Given holds approved by a first instance, which stops before any of them is due
        long earliestExpiry;
        try (MeteringStreamRuntime first = MeteringStreamRuntime.start(props, settings);
             KafkaProducer<String, AiRequest> producer = BrokerClients.producer(kafka.broker(), Topics.AI_REQUESTS)) {
            for (AiRequest r : requests) {
                producer.send(new ProducerRecord<>(Topics.AI_REQUESTS.name(), r.getUserId(), r));
            }
            producer.flush();
            List<CreditDecision> decisions = BrokerClients.readCommitted(kafka.broker(), Topics.AI_DECISIONS,
                    d -> d.size() >= requests.size(), Duration.ofSeconds(60));
            assertThat(decisions).hasSize(requests.size()).allMatch(CreditDecision::getApproved);
            earliestExpiry = decisions.stream().mapToLong(d -> d.getHoldExpiresAt().toEpochMilli()).min().orElseThrow();
        }
        assertThat(System.currentTimeMillis())
                .as("the first instance stopped before any hold was due, so only the restarted one can expire them")
                .isLessThan(earliestExpiry);
        List<LedgerEntry> beforeRestart = ledger(l -> placed(l).size() >= requests.size());
        assertThat(placed(beforeRestart)).hasSize(requests.size());
        assertThat(expired(beforeRestart)).isEmpty();

        // When an instance starts again on the same state and the hold timeout passes
        try (MeteringStreamRuntime second = MeteringStreamRuntime.start(props, settings)) {
            List<LedgerEntry> ledger = ledger(l -> expired(l).size() >= requests.size());

            // Then every hold expired once, and every user has all credits back
            Map<String, Long> expiriesPerRequest = expired(ledger).stream()
                    .collect(Collectors.groupingBy(LedgerEntry::getCauseId, Collectors.counting()));
            assertThat(expiriesPerRequest).hasSize(requests.size()).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
            Map<String, Long> balances = ledger.stream().filter(e -> e.getPool().equals(MeteringSettings.AI_CREDITS))
                    .collect(Collectors.groupingBy(LedgerEntry::getUserId, Collectors.summingLong(LedgerEntry::getDelta)));
            assertThat(balances).hasSize(USERS).allSatisfy((user, balance) -> assertThat(balance).isEqualTo(100L));
            for (int u = 0; u < USERS; u++) {
                assertThat(second.balance("user-" + u).pool(MeteringSettings.AI_CREDITS).balance()).isEqualTo(100);
            }
        }
    }

    private static List<LedgerEntry> placed(List<LedgerEntry> ledger) {
        return ledger.stream().filter(e -> e.getKind() == LedgerKind.HOLD_PLACED).toList();
    }

    private static List<LedgerEntry> expired(List<LedgerEntry> ledger) {
        return ledger.stream().filter(e -> e.getKind() == LedgerKind.HOLD_EXPIRED).toList();
    }

    private static List<LedgerEntry> ledger(Predicate<List<LedgerEntry>> done) {
        return BrokerClients.readCommitted(kafka.broker(), Topics.CREDIT_LEDGER, done, HOLD_TIMEOUT.plusSeconds(60));
    }
}
