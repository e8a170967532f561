package io.aicredits.alerts.notify;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Telegram Bot API {@code sendMessage}: POST {@code <baseUrl>/bot<token>/sendMessage} with
 * {@code {"chat_id": …, "text": …}}. {@code baseUrl} is {@code https://api.telegram.org} in
 * production and a local server in tests.
 */
public final class TelegramChannel implements NotificationChannel {

    private final URI endpoint;
    private final String chatId;
    private final HttpJson http;

    public TelegramChannel(String baseUrl, String botToken, String chatId, Duration timeout) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.endpoint = URI.create(base + "/bot" + botToken + "/sendMessage");
        this.chatId = chatId;
        this.http = new HttpJson(timeout);
    }

    @Override
    public String name() {
        return "telegram";
    }

    @Override
    public void send(String id, String text, Map<String, Object> payload) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chat_id", chatId);
        body.put("text", text);
        http.post(name(), endpoint, body);
    }
}
