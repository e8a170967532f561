package io.aicredits.alerts.notify;

/** Somewhere an alert or report is sent. {@link #send} throws {@link DeliveryException} when not delivered. */
public interface NotificationChannel {

    String name();

    /**
     * @param id      stable id of what is sent (alert id, report id), for receivers to deduplicate
     * @param text    human-readable text
     * @param payload the JSON body fields for structured channels
     */
    void send(String id, String text, java.util.Map<String, Object> payload);

    /** A channel did not accept a notification. */
    class DeliveryException extends RuntimeException {
        public DeliveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
