package io.aicredits.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.aicredits.events.AiRequest;
import io.aicredits.events.CreditCommand;
import io.aicredits.events.CreditDecision;
import io.aicredits.events.LedgerEntry;
import io.aicredits.events.OperationPrice;
import io.aicredits.events.PeriodOpened;
import io.aicredits.events.UsageEvent;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The build fails here when a schema change would break readers of released data. */
class SchemaEvolutionCheckTest {

    static Stream<Schema> currentSchemas() {
        return Stream.of(AiRequest.getClassSchema(), CreditDecision.getClassSchema(), UsageEvent.getClassSchema(),
                CreditCommand.getClassSchema(), PeriodOpened.getClassSchema(), LedgerEntry.getClassSchema(),
                OperationPrice.getClassSchema(), io.aicredits.events.SettingChanged.getClassSchema(),
                io.aicredits.events.AlertRaised.getClassSchema(), io.aicredits.events.ApiKey.getClassSchema());
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void currentSchemaShouldReadEveryReleasedVersion(Schema current) {
        assertThat(ReleasedSchemas.versionsOf(current.getFullName())).as("released versions").isNotEmpty();
        assertThat(SchemaEvolutionCheck.problems(current)).isEmpty();
    }

    @Test
    void everyReleasedRecordShouldStillExist() {
        List<String> current = currentSchemas().map(Schema::getFullName).toList();
        assertThat(current).containsAll(ReleasedSchemas.recordNames());
    }

    @Test
    void shouldRejectBreakingChange() throws Exception {
        Schema breaking;
        try (InputStream in = getClass().getResourceAsStream("/breaking/UsageEvent.avsc")) {
            breaking = new Schema.Parser().parse(in);
        }

        List<String> problems = SchemaEvolutionCheck.problems(breaking);

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("cannot read data written with released version 1")
                .contains("input_tokens"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("released version 2").contains("cost_usd"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("not released"));
    }
}
