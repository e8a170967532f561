package io.aicredits.client;

/** Base class of the failures a {@link MeteringClient} reports. */
public class MeteringException extends RuntimeException {

    public MeteringException(String message, Throwable cause) {
        super(message, cause);
    }

    public MeteringException(String message) {
        super(message);
    }
}
