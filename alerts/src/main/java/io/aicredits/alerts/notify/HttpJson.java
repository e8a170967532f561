package io.aicredits.alerts.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** POSTs a JSON body and requires a 2xx answer. */
final class HttpJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final HttpClient client;
    private final Duration timeout;

    HttpJson(Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
    }

    void post(String channel, URI uri, Map<String, Object> body) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(MAPPER.writeValueAsBytes(body)))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new NotificationChannel.DeliveryException(channel + " answered " + response.statusCode() + ": "
                        + abbreviate(response.body()), null);
            }
        } catch (IOException e) {
            throw new NotificationChannel.DeliveryException(channel + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotificationChannel.DeliveryException(channel + " delivery interrupted", e);
        }
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
