package io.aicredits.schemas;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record value that is not a valid single-object-encoded event of the expected type: an
 * unknown schema fingerprint, a missing or wrong header, or a corrupt body. The message names
 * the topic and the cause so a dead-letter entry explains itself.
 */
public class EventDecodingException extends SerializationException {

    private final String topic;

    public EventDecodingException(String topic, String message, Throwable cause) {
        super("Cannot decode record from topic '" + topic + "': " + message, cause);
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }
}
