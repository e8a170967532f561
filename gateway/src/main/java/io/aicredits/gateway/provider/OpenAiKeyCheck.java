package io.aicredits.gateway.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.aicredits.gateway.GatewayProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;

/**
 * Checks an OpenAI API key by listing the provider's models ({@code GET {base-url}/models}) with
 * it: the key given, or the key in force. The key never appears in the answer or in logs.
 */
class OpenAiKeyCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final WebClient http;
    private final Supplier<String> keyInForce;

    OpenAiKeyCheck(WebClient.Builder builder, GatewayProperties.OpenAi settings, Supplier<String> keyInForce) {
        this.http = builder.clone().baseUrl(settings.baseUrl()).build();
        this.keyInForce = keyInForce;
    }

    Mono<Result> check(String candidate) {
        String key = candidate == null || candidate.isBlank() ? keyInForce.get() : candidate.trim();
        if (key == null) {
            return Mono.just(Result.invalid("No OpenAI API key is set (Settings → AI or OPENAI_API_KEY)"));
        }
        return http.get().uri("/models")
                .headers(headers -> headers.setBearerAuth(key))
                .retrieve()
                .bodyToMono(ModelList.class)
                .timeout(TIMEOUT)
                .map(list -> Result.valid(list.data() == null ? List.of()
                        : list.data().stream().map(ModelEntry::id).sorted().toList()))
                .onErrorResume(WebClientResponseException.class, e -> Mono.just(Result.invalid(
                        "OpenAI answered HTTP " + e.getStatusCode().value() + describe(e.getStatusCode()))))
                .onErrorResume(e -> Mono.just(Result.invalid("OpenAI could not be reached: "
                        + OpenAiProvider.redact(String.valueOf(e.getMessage())))));
    }

    private static String describe(HttpStatusCode status) {
        return status.value() == 401 ? " (the key was refused)" : status.value() == 429 ? " (rate limited or out of quota)" : "";
    }

    /** {@code valid} with the model ids the key can use, or not with the reason. */
    record Result(@JsonProperty("valid") boolean valid,
                  @JsonProperty("models") List<String> models,
                  @JsonProperty("message") @JsonInclude(JsonInclude.Include.ALWAYS) String message) {
        static Result valid(List<String> models) {
            return new Result(true, models, null);
        }

        static Result invalid(String message) {
            return new Result(false, List.of(), message);
        }
    }

    record ModelList(List<ModelEntry> data) {
    }

    record ModelEntry(String id) {
    }

    /** {@code POST /api/admin/settings/openai-key/check} {@code {"api_key": "…"}} (optional: else the key in force). */
    @RestController
    @RequestMapping("/api/admin/settings/openai-key")
    static class Controller {

        private final OpenAiKeyCheck check;

        Controller(OpenAiKeyCheck check) {
            this.check = check;
        }

        @PostMapping("/check")
        Mono<Result> check(@RequestBody(required = false) Map<String, Object> body) {
            Object key = body == null ? null : body.get("api_key");
            return check.check(key == null ? null : String.valueOf(key));
        }
    }
}
