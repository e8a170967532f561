package io.aicredits.alerts.notify;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A generic JSON webhook: POST {@code url} with the payload fields plus {@code id} and {@code text}. */
public final class WebhookChannel implements NotificationChannel {

    private final URI url;
    private final HttpJson http;

    public WebhookChannel(URI url, Duration timeout) {
        this.url = url;
        this.http = new HttpJson(timeout);
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public void send(String id, String text, Map<String, Object> payload) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("text", text);
        body.putAll(payload);
        http.post(name(), url, body);
    }
}
