package io.aicredits.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerPersistenceTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldKeepTopicsWhenRestartedOnSameDataDir() throws Exception {
        // Given a broker on a persistent dir with a topic
        int port = FreePorts.next();
        try (KafkaBroker first = KafkaBroker.start(dataDir, port)) {
            first.createTopic("kept-topic", 3, Map.of());
            assertThat(first.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
        }

        // When it is started again on the same dir
        try (KafkaBroker second = KafkaBroker.start(dataDir, port);
             var admin = second.newAdmin()) {
            // Then the topic is still there with its partitions
            assertThat(admin.listTopics().names().get()).contains("kept-topic");
            assertThat(admin.describeTopics(java.util.List.of("kept-topic")).allTopicNames().get()
                    .get("kept-topic").partitions()).hasSize(3);
        }
    }
}
