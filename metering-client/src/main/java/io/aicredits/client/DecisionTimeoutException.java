package io.aicredits.client;

import java.time.Duration;

/**
 * No decision arrived for a request within the client's timeout. Nothing is charged for it: the
 * stream's hold (if one was placed) expires and is released.
 */
public class DecisionTimeoutException extends MeteringException {

    private final String requestId;

    public DecisionTimeoutException(String requestId, Duration timeout) {
        super("No credit decision for request " + requestId + " within " + timeout.toMillis() + " ms");
        this.requestId = requestId;
    }

    public String requestId() {
        return requestId;
    }
}
