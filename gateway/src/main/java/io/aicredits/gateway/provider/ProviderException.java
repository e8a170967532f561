package io.aicredits.gateway.provider;

/** The AI provider failed (error status, timeout, unreadable answer). Never carries the API key. */
public class ProviderException extends RuntimeException {

    public ProviderException(String message, Throwable cause) {
        super(message, cause);
    }

    public ProviderException(String message) {
        super(message);
    }
}
