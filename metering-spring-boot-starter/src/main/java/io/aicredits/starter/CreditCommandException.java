package io.aicredits.starter;

/**
 * A {@link CreditService} change the stream refused ({@code INSUFFICIENT_CREDITS} for a deduction
 * larger than the pool, {@code REFUSED} otherwise; the message carries the stream's reason) or whose
 * outcome was not seen in time ({@code NOT_APPLIED}: it may still apply, once).
 */
public class CreditCommandException extends RuntimeException {

    private final String reason;
    private final String commandId;

    CreditCommandException(String reason, String commandId, String message) {
        super(message);
        this.reason = reason;
        this.commandId = commandId;
    }

    public String reason() {
        return reason;
    }

    public String commandId() {
        return commandId;
    }
}
