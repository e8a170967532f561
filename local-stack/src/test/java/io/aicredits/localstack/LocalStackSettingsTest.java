package io.aicredits.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStackSettingsTest {

    @Test
    void shouldDefaultToTheSeedPortsAndADataDirInTheRepository() {
        LocalStackSettings settings = LocalStackSettings.parse(List.of("--repo-dir", "/repo"), Map.of());

        assertThat(settings.dataDir()).isEqualTo(Path.of("/repo/.local-run"));
        assertThat(settings.gatewayPort()).isEqualTo(5050);
        assertThat(settings.kafkaPort()).isEqualTo(9092);
        assertThat(settings.clickHouseHttpPort()).isEqualTo(8123);
        assertThat(settings.clickHouseTcpPort()).isEqualTo(9000);
        assertThat(List.of(settings.streamPort(), settings.sinkPort(), settings.schedulerPort(), settings.alertsPort()))
                .containsExactly(7070, 7071, 7072, 7073);
        assertThat(settings.partitions()).isEqualTo(6);
        assertThat(settings.provider()).isEqualTo("auto");
        assertThat(settings.testMode()).as("test mode only when asked for").isFalse();
        assertThat(settings.bindAddress()).as("loopback unless told otherwise").isEqualTo("127.0.0.1");
        assertThat(settings.startupTimeout()).isEqualTo(Duration.ofSeconds(240));
    }

    @Test
    void shouldListenOnEveryInterfaceOnlyWhenAFlagSaysSo() {
        assertThat(LocalStackSettings.parse(List.of("--bind-address", "0.0.0.0"), Map.of()).bindAddress()).isEqualTo("0.0.0.0");
        assertThat(LocalStackSettings.parse(List.of(), Map.of("LOCAL_RUN_BIND_ADDRESS", "192.168.1.5")).bindAddress())
                .isEqualTo("192.168.1.5");
    }

    @Test
    void shouldTurnTestModeOnInRunLocalShOnlyWhenNotGivenAndSayItInTheBanner() throws Exception {
        Path repo = Path.of(System.getProperty("localstack.repo-dir", "..")).toAbsolutePath().normalize();
        String script = java.nio.file.Files.readString(repo.resolve("run-local.sh"));

        assertThat(script).contains("--test-mode|--test-mode=*) test_mode_given=yes")
                .contains("if [ \"$test_mode_given\" = no ] && [ -z \"${LOCAL_RUN_TEST_MODE:-}\" ]; then\n  args+=(--test-mode true)");
        assertThat(LocalStackSettings.parse(List.of("--test-mode", "true"), Map.of()).testMode()).isTrue();
    }

    @Test
    void shouldLetFlagsWinOverEnvironmentVariables() {
        Map<String, String> env = Map.of("LOCAL_RUN_GATEWAY_PORT", "6060", "LOCAL_RUN_KAFKA_PORT", "19092",
                "LOCAL_RUN_DATA_DIR", "/from-env", "LOCAL_RUN_ALERTS_PORT", "17073", "LOCAL_RUN_SCHEDULER_PORT", "17072");

        LocalStackSettings settings = LocalStackSettings.parse(List.of("--gateway-port=7000", "--provider", "SANDBOX",
                "--alerts-port", "8073"), env);

        assertThat(settings.gatewayPort()).isEqualTo(7000);
        assertThat(settings.kafkaPort()).isEqualTo(19092);
        assertThat(settings.dataDir()).isEqualTo(Path.of("/from-env"));
        assertThat(settings.provider()).isEqualTo("sandbox");
        assertThat(settings.alertsPort()).isEqualTo(8073);
        assertThat(settings.schedulerPort()).isEqualTo(17072);
    }

    @Test
    void shouldTakeTheAlertsPortFromItsEnvironmentVariable() {
        LocalStackSettings settings = LocalStackSettings.parse(List.of(), Map.of("LOCAL_RUN_ALERTS_PORT", "17073"));

        assertThat(settings.alertsPort()).isEqualTo(17073);
    }

    @Test
    void shouldRejectUnknownOptionsAndBadValuesWithTheOptionName() {
        assertThatThrownBy(() -> LocalStackSettings.parse(List.of("--gateway-prot", "1"), Map.of()))
                .hasMessageContaining("unknown option --gateway-prot");
        assertThatThrownBy(() -> LocalStackSettings.parse(List.of("--kafka-port", "x"), Map.of()))
                .hasMessageContaining("--kafka-port must be a number");
        assertThatThrownBy(() -> LocalStackSettings.parse(List.of("--sink-port", "70000"), Map.of()))
                .hasMessageContaining("--sink-port must be a port");
        assertThatThrownBy(() -> LocalStackSettings.parse(List.of("--alerts-port", "-1"), Map.of()))
                .hasMessageContaining("--alerts-port must be a port");
        assertThatThrownBy(() -> LocalStackSettings.parse(List.of("--provider", "gpt"), Map.of()))
                .hasMessageContaining("--provider must be one of");
        assertThatThrownBy(() -> LocalStackSettings.parse(List.of("--data-dir"), Map.of()))
                .hasMessageContaining("--data-dir needs a value");
    }

    @Test
    void shouldListEveryOptionWithItsEnvironmentVariableInTheUsage() {
        String usage = LocalStackSettings.usage();

        LocalStackSettings.OPTIONS.keySet().forEach(option ->
                assertThat(usage).contains("--" + option).contains(LocalStackSettings.envName(option)));
        assertThat(usage).contains("OPENAI_API_KEY").contains("GATEWAY_JWT_SECRET");
    }
}
