package io.aicredits.starter;

import static org.awaitility.Awaitility.await;

import io.aicredits.client.Balance;
import io.aicredits.events.UsageEvent;
import io.aicredits.schemas.AvroSerdes;
import io.aicredits.schemas.Topics;
import io.aicredits.stream.testing.MeteringStreamServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.json.JsonMapper;

/** Reads what the stream and the usage topic say, for assertions. */
final class StarterTestSupport implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final MeteringStreamServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final KafkaConsumer<String, UsageEvent> usage;
    private final List<UsageEvent> usageSeen = new ArrayList<>();

    StarterTestSupport(MeteringStreamServer server) {
        this.server = server;
        this.usage = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "starter-usage-watch-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), AvroSerdes.usageEvent());
        usage.subscribe(List.of(Topics.AI_USAGE.name()));
    }

    /** The balance the stream answers right now. */
    Balance balance(String userId) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/balances/" + userId)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readValue(response.body(), Balance.class);
    }

    /** Waits until the user's pool shows no open hold and returns it. */
    Balance.Pool settledPool(String userId, String pool) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> balance(userId).pool(pool), p -> p.held() == 0);
    }

    /** Every usage event of the user on ai.usage, once at least {@code count} arrived. */
    List<UsageEvent> usageOf(String userId, int count) {
        Predicate<UsageEvent> mine = event -> event.getUserId().equals(userId);
        synchronized (usageSeen) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                usage.poll(Duration.ofMillis(200)).forEach(record -> usageSeen.add(record.value()));
                return usageSeen.stream().filter(mine).count() >= count;
            });
            // Anything more for this user would arrive together with what we waited for.
            usage.poll(Duration.ofMillis(300)).forEach(record -> usageSeen.add(record.value()));
            return usageSeen.stream().filter(mine).toList();
        }
    }

    @Override
    public void close() {
        usage.close(Duration.ofSeconds(2));
    }
}
