package io.aicredits.client;

import io.aicredits.events.CreditDecision;
import java.time.Duration;

/**
 * No decision arrived for a request by its deadline (the client's decision timeout, or the
 * caller's earlier deadline), or the stream answered it EXPIRED. Nothing is charged for it: the
 * client releases the attempt, and the stream never holds for a request read after its deadline.
 */
public class DecisionTimeoutException extends MeteringException {

    private final String requestId;

    public DecisionTimeoutException(String requestId, Duration timeout) {
        super("No credit decision for request " + requestId + " within " + timeout.toMillis() + " ms");
        this.requestId = requestId;
    }

    private DecisionTimeoutException(String requestId, String message) {
        super(message);
        this.requestId = requestId;
    }

    /** The stream read the request after its deadline and answered EXPIRED (e.g. clocks apart): same outcome as a timeout. */
    public static DecisionTimeoutException expired(CreditDecision decision) {
        return new DecisionTimeoutException(decision.getRequestId(), "Request " + decision.getRequestId()
                + " expired before the metering stream read it: " + decision.getMessage());
    }

    public String requestId() {
        return requestId;
    }
}
