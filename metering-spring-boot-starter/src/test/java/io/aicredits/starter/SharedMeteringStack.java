package io.aicredits.starter;

import io.aicredits.stream.testing.MeteringStreamServer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One broker and one real metering stream for every test class of this module that asks for a
 * {@link MeteringStreamServer} parameter: started on first use, closed by JUnit when the run ends.
 * Tests isolate themselves by user id.
 */
final class SharedMeteringStack implements ParameterResolver {

    /** ai.decisions partitions: each test application claims its own reply partition. */
    static final int PARTITIONS = 4;

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MeteringStreamServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).computeIfAbsent(
                MeteringStreamServer.class.getName(),
                key -> MeteringStreamServer.start(PARTITIONS,
                        // This class path holds the starter: the stream itself is no metering client.
                        "--metering.client.enabled=false"),
                MeteringStreamServer.class);
    }
}
