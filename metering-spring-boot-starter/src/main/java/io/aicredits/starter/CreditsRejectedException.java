package io.aicredits.starter;

import io.aicredits.events.CreditDecision;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metering stream rejected the request: short balance ({@code INSUFFICIENT_CREDITS}), token
 * limit, budget, unknown operation. Nothing was held and the handler did not run.
 */
public class CreditsRejectedException extends CreditGuardException {

    private final transient CreditDecision decision;

    CreditsRejectedException(CreditDecision decision, int status) {
        super(status, decision.getReason().name(), message(decision), details(decision), null);
        this.decision = decision;
    }

    /** The stream's decision. */
    public CreditDecision decision() {
        return decision;
    }

    private static String message(CreditDecision decision) {
        return decision.getMessage() == null ? "Request rejected: " + decision.getReason() : decision.getMessage();
    }

    private static Map<String, Object> details(CreditDecision decision) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("credits_required", decision.getCreditsRequired());
        details.put("credits_available", Math.max(0, decision.getBalance()));
        details.put("pool", decision.getPool());
        details.put("next_reset", decision.getNextReset().toString());
        details.put("request_id", decision.getRequestId());
        return details;
    }
}
