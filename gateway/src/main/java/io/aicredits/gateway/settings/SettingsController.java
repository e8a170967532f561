package io.aicredits.gateway.settings;

import io.aicredits.gateway.security.Caller;
import java.util.Map;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * "Settings → AI" for {@code super_admin}s (the security chain guards
 * {@code /api/admin/**}): the settings in force, changes, and their audit trail.
 */
@RestController
@RequestMapping("/api/admin/settings")
class SettingsController {

    private final SettingsService service;

    SettingsController(SettingsService service) {
        this.service = service;
    }

    @GetMapping
    SettingsView current() {
        return service.current();
    }

    /** Body: {@code {"<key>": <new value or null>, …}}; answers with the settings in force once applied. */
    @PutMapping
    Mono<SettingsView> change(@AuthenticationPrincipal Jwt jwt, @RequestBody Map<String, Object> changes) {
        return service.change(Caller.of(jwt), changes);
    }

    @GetMapping("/audit")
    AuditView audit(@RequestParam(name = "key", required = false) String key) {
        return service.audit(key);
    }
}
