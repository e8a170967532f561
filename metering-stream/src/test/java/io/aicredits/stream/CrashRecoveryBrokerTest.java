package io.aicredits.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.infra.ChildJvm;
import io.aicredits.schemas.Topics;
import io.aicredits.stream.testing.BrokerPerClass;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream instance is SIGKILLed in the middle of a load and restarted: read_committed
 * consumers see exactly one decision per request and balances equal a sequential replay of the
 * input.
 */
class CrashRecoveryBrokerTest {

    private static final int USERS = 12;
    private static final int REQUESTS = 480;

    @RegisterExtension
    static final BrokerPerClass kafka = new BrokerPerClass(3);

    @TempDir
    static Path dir;

    @Test
    void shouldGiveEveryRequestExactlyOneDecisionAcrossSigkillAndRestart() {
        Random random = new Random(42);
        List<AiRequest> load = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            String op = random.nextInt(3) == 0 ? "image_generation" : "text_generation";
            load.add(BrokerClients.request("user-" + random.nextInt(USERS), "req-" + i, op));
        }
        Path stateDir = dir.resolve("state");
        List<String> args = List.of(kafka.broker().bootstrapServers(), "crash-test", stateDir.toString());

        try (KafkaProducer<String, AiRequest> producer = BrokerClients.producer(kafka.broker(), Topics.AI_REQUESTS)) {
            ChildJvm first = ChildJvm.start("stream-1", StreamChildMain.class.getName(), args, Map.of(), dir.resolve("stream-1.log"));
            try {
                send(producer, load.subList(0, REQUESTS / 2));
                BrokerClients.readCommitted(kafka.broker(), Topics.AI_DECISIONS, d -> d.size() >= REQUESTS / 8, Duration.ofSeconds(90));
                // Mid-load: more requests in flight while the instance dies without any shutdown.
                send(producer, load.subList(REQUESTS / 2, 3 * REQUESTS / 4));
                first.kill();
                assertThat(first.awaitExit(Duration.ofSeconds(10))).isTrue();
            } finally {
                first.close();
            }
            int decidedBeforeRestart = BrokerClients.readCommitted(kafka.broker(), Topics.AI_DECISIONS, d -> true, Duration.ofSeconds(10)).size();
            assertThat(decidedBeforeRestart).as("the crash left requests undecided").isLessThan(3 * REQUESTS / 4);
            send(producer, load.subList(3 * REQUESTS / 4, REQUESTS));
            ChildJvm second = ChildJvm.start("stream-2", StreamChildMain.class.getName(), args, Map.of(), dir.resolve("stream-2.log"));
            try {
                List<CreditDecision> decisions = BrokerClients.readCommitted(kafka.broker(), Topics.AI_DECISIONS,
                        d -> d.size() >= REQUESTS, Duration.ofSeconds(120));
                Map<String, Long> perRequest = decisions.stream()
                        .collect(Collectors.groupingBy(CreditDecision::getRequestId, Collectors.counting()));
                assertThat(perRequest).hasSize(REQUESTS);
                assertThat(perRequest.values()).allMatch(n -> n == 1);

                Replay expected = Replay.of(load);
                Map<String, CreditDecision> byId = decisions.stream()
                        .collect(Collectors.toMap(CreditDecision::getRequestId, Function.identity()));
                for (AiRequest r : load) {
                    assertThat(byId.get(r.getRequestId().toString()).getApproved())
                            .as("decision for %s", r.getRequestId()).isEqualTo(expected.approved.get(r.getRequestId()));
                }
                long approvals = expected.approved.values().stream().filter(a -> a).count();
                List<LedgerEntry> ledger = BrokerClients.readCommitted(kafka.broker(), Topics.CREDIT_LEDGER,
                        l -> l.stream().filter(e -> e.getKind() == LedgerKind.HOLD_PLACED).count() >= approvals, Duration.ofSeconds(30));
                Map<String, Long> holdsPerRequest = ledger.stream().filter(e -> e.getKind() == LedgerKind.HOLD_PLACED)
                        .collect(Collectors.groupingBy(LedgerEntry::getCauseId, Collectors.counting()));
                assertThat(holdsPerRequest).hasSize((int) approvals);
                assertThat(holdsPerRequest.values()).allMatch(n -> n == 1);
                Map<String, Long> balances = ledger.stream().filter(e -> e.getPool().equals(MeteringSettings.AI_CREDITS))
                        .collect(Collectors.groupingBy(LedgerEntry::getUserId, Collectors.summingLong(LedgerEntry::getDelta)));
                assertThat(balances).isEqualTo(expected.balances);
            } finally {
                second.stop();
                second.close();
            }
        }
    }

    private static void send(KafkaProducer<String, AiRequest> producer, List<AiRequest> requests) {
        for (AiRequest r : requests) {
            producer.send(new ProducerRecord<>(Topics.AI_REQUESTS.name(), r.getUserId(), r));
        }
        producer.flush();
    }

    /** The input replayed one user at a time, in order: what the balances must be. */
    private record Replay(Map<String, Boolean> approved, Map<String, Long> balances) {
        static Replay of(List<AiRequest> load) {
            Map<String, Boolean> approved = new LinkedHashMap<>();
            Map<String, Long> balances = new HashMap<>();
            for (AiRequest r : load) {
                long price = r.getOperationType().equals("image_generation") ? 5 : 1;
                long balance = balances.getOrDefault(r.getUserId(), 100L);
                boolean ok = balance >= price;
                approved.put(r.getRequestId(), ok);
                balances.put(r.getUserId(), ok ? balance - price : balance);
            }
            return new Replay(approved, balances);
        }
    }
}
