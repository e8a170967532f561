package io.aicredits.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloseablesTest {

    @Test
    void shouldCloseEveryResourceInOrderEvenWhenOneFails() {
        List<String> closed = new ArrayList<>();
        AutoCloseable first = () -> closed.add("first");
        AutoCloseable failing = () -> {
            closed.add("failing");
            throw new IllegalStateException("boom");
        };
        AutoCloseable alsoFailing = () -> {
            closed.add("also failing");
            throw new java.io.IOException("bang");
        };
        AutoCloseable last = () -> closed.add("last");

        assertThatThrownBy(() -> Closeables.closeAll(first, null, failing, alsoFailing, last))
                .isInstanceOf(IllegalStateException.class).hasMessage("boom")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("bang"));
        assertThat(closed).containsExactly("first", "failing", "also failing", "last");
    }
}
