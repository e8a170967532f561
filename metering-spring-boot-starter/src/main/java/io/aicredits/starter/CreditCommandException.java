package io.aicredits.starter;

/** A {@link CreditService} change that was refused ({@code INSUFFICIENT_CREDITS}) or not seen applied in time ({@code NOT_APPLIED}). */
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
