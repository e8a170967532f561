package io.aicredits.client;

/** The broker could not be reached or refused the record (outage, missing topic, closed client). */
public class MeteringUnavailableException extends MeteringException {

    public MeteringUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
