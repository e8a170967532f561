package io.aicredits.gateway.apikeys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.aicredits.events.ApiKey;
import io.aicredits.gateway.credits.Timestamps;
import io.aicredits.gateway.security.Caller;
import io.aicredits.gateway.web.ApiException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Super admins create (secret shown once), list (never the secret) and revoke API keys. */
@RestController
class ApiKeyController {

    private final ApiKeyService keys;

    ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    record CreateRequest(@JsonProperty("user_id") String userId, @JsonProperty("name") String name) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record KeyView(@JsonProperty("id") String id,
                   @JsonProperty("key") String secret,
                   @JsonProperty("user_id") String userId,
                   @JsonProperty("name") String name,
                   @JsonProperty("prefix") String prefix,
                   @JsonProperty("created_by") String createdBy,
                   @JsonProperty("created_at") String createdAt,
                   @JsonProperty("revoked_by") String revokedBy,
                   @JsonProperty("revoked_at") String revokedAt) {

        static KeyView of(ApiKey key, String secret) {
            return new KeyView(key.getKeyId(), secret, key.getUserId(), key.getName(), key.getPrefix(), key.getCreatedBy(),
                    Timestamps.iso(key.getCreatedAt()), key.getRevokedBy(),
                    key.getRevokedAt() == null ? null : Timestamps.iso(key.getRevokedAt()));
        }
    }

    record KeyList(@JsonProperty("api_keys") List<KeyView> apiKeys) {
    }

    @PostMapping(path = "/api/admin/api-keys", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Mono<KeyView> create(@AuthenticationPrincipal Jwt jwt, @RequestBody(required = false) CreateRequest request) {
        if (request == null) {
            throw ApiException.badRequest("Request body is required: {\"user_id\", \"name\"?}");
        }
        return keys.create(Caller.of(jwt), request.userId(), request.name())
                .map(created -> KeyView.of(created.key(), created.secret()));
    }

    @GetMapping("/api/admin/api-keys")
    KeyList list(@RequestParam(name = "user_id", required = false) String userId) {
        return new KeyList(keys.list(userId).stream().map(key -> KeyView.of(key, null)).toList());
    }

    @DeleteMapping("/api/admin/api-keys/{id}")
    Mono<KeyView> revoke(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        return Mono.defer(() -> keys.revoke(Caller.of(jwt), id)).map(key -> KeyView.of(key, null));
    }
}
