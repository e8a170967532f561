package io.aicredits.gateway.provider;

/**
 * The AI provider failed (error status, timeout, unreadable answer). Never carries the API key.
 * {@link #status()} is the provider's HTTP status when it answered with one, else 0.
 */
public class ProviderException extends RuntimeException {

    private final int status;

    public ProviderException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public ProviderException(String message) {
        this(message, 0);
    }

    public ProviderException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The provider's HTTP error status, 0 when it did not answer with one (timeout, unreachable, bad body). */
    public int status() {
        return status;
    }
}
