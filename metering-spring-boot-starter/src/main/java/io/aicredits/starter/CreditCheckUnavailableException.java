package io.aicredits.starter;

import java.util.Map;

/** No decision could be had (broker unreachable, timeout): nothing was charged, the handler did not run. */
public class CreditCheckUnavailableException extends CreditGuardException {

    CreditCheckUnavailableException(String requestId, Throwable cause) {
        super(503, "METERING_UNAVAILABLE", "Credit check is unavailable; nothing was charged. Please retry.",
                Map.of("request_id", requestId), cause);
    }
}
