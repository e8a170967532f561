package io.aicredits.starter;

import io.aicredits.events.CreditDecision;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stream answered the call's request id as a duplicate: an earlier request with the same id is
 * still in flight (nothing charged for this call), or was settled and charged once. The handler did
 * not run and nothing was held. The guard's request ids are random per call, so this means an id
 * was reused; the answer says which case it is, never that nothing was charged when the earlier
 * request was.
 */
public class DuplicateRequestException extends CreditGuardException {

    DuplicateRequestException(CreditDecision decision) {
        super(409, decision.getCreditsCharged() == null ? "REQUEST_IN_PROGRESS" : "DUPLICATE_REQUEST",
                message(decision), details(decision), null);
    }

    private static String message(CreditDecision decision) {
        return decision.getCreditsCharged() == null
                ? "A request with this id is still being processed; retry later. Nothing was charged for this request."
                : "A request with this id was already processed; it was charged once, " + decision.getCreditsCharged()
                        + " credits. Nothing was charged for this request.";
    }

    private static Map<String, Object> details(CreditDecision decision) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("request_id", decision.getRequestId());
        if (decision.getCreditsCharged() != null) {
            details.put("credits_charged", decision.getCreditsCharged());
        }
        return details;
    }
}
