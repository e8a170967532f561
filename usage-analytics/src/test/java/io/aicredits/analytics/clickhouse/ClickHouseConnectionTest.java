package io.aicredits.analytics.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClickHouseConnectionTest {

    @Test
    void shouldNotPrintTheClickHousePassword() {
        ClickHouseConnection clickHouse = new ClickHouseConnection("http://clickhouse:8123", "analytics", "s3cret!", "default", null);

        assertThat(clickHouse.toString()).doesNotContain("s3cret!").contains("password=<set>").contains("username=analytics");
    }

    @Test
    void shouldFillWhatIsLeftOutWithTheLocalDefaults() {
        ClickHouseConnection clickHouse = new ClickHouseConnection("http://clickhouse:8123", null, null, null, null);

        assertThat(clickHouse).isEqualTo(new ClickHouseConnection("http://clickhouse:8123", "default", "", "default",
                Duration.ofSeconds(30)));
        assertThat(new ClickHouseConnection(null, null, null, null, null).url()).isEqualTo("http://localhost:8123");
    }
}
