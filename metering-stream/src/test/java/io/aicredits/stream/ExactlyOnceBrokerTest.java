package io.aicredits.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.DecisionReason;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.LedgerKind;
import io.aicredits.schemas.Topics;
import io.aicredits.stream.testing.BrokerPerClass;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Exactly-once on a real kafka.broker(): concurrent requests can never spend credits that are not there. */
class ExactlyOnceBrokerTest {

    @RegisterExtension
    static final BrokerPerClass kafka = new BrokerPerClass(3);

    @TempDir
    static Path stateDir;

    @Test
    void shouldApproveExactlyHundredOfThousandConcurrentPriceOneRequests() throws Exception {
        try (MeteringStreamRuntime runtime = MeteringStreamRuntime.start(
                BrokerClients.streamsProps(kafka.broker(), "eos-test", stateDir), MeteringSettings.defaults())) {
            int threads = 4;
            int perThread = 250;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> sent = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                sent.add(pool.submit(() -> {
                    try (KafkaProducer<String, AiRequest> producer = BrokerClients.producer(kafka.broker(), Topics.AI_REQUESTS)) {
                        for (int i = 0; i < perThread; i++) {
                            AiRequest r = BrokerClients.request("u1", "t" + thread + "-r" + i, "text_generation");
                            producer.send(new ProducerRecord<>(Topics.AI_REQUESTS.name(), "u1", r));
                        }
                        producer.flush();
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            pool.shutdown();

            List<CreditDecision> decisions = BrokerClients.readCommitted(kafka.broker(), Topics.AI_DECISIONS,
                    d -> d.size() >= threads * perThread, Duration.ofSeconds(90));

            assertThat(decisions).hasSize(1_000);
            assertThat(decisions.stream().map(CreditDecision::getRequestId).collect(Collectors.toSet())).hasSize(1_000);
            assertThat(decisions.stream().filter(CreditDecision::getApproved)).hasSize(100);
            assertThat(decisions.stream().filter(d -> !d.getApproved()))
                    .hasSize(900)
                    .allSatisfy(d -> assertThat(d.getReason()).isEqualTo(DecisionReason.INSUFFICIENT_CREDITS));
            List<LedgerEntry> ledger = BrokerClients.readCommitted(kafka.broker(), Topics.CREDIT_LEDGER,
                    l -> l.stream().filter(e -> e.getKind() == LedgerKind.HOLD_PLACED).count() >= 100, Duration.ofSeconds(30));
            List<LedgerEntry> credits = ledger.stream().filter(e -> e.getPool().equals(MeteringSettings.AI_CREDITS)).toList();
            assertThat(credits.stream().filter(e -> e.getKind() == LedgerKind.HOLD_PLACED)).hasSize(100)
                    .allSatisfy(e -> assertThat(e.getDelta()).isEqualTo(-1));
            assertThat(credits.stream().mapToLong(LedgerEntry::getDelta).sum()).isZero();
            assertThat(runtime.balance("u1").pool(MeteringSettings.AI_CREDITS).balance()).isZero();
        }
    }
}
