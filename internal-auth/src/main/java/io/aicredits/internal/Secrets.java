package io.aicredits.internal;

import java.net.URI;

/** How settings records print secrets in {@code toString()}: whether one is set, never its value. */
public final class Secrets {

    private Secrets() {
    }

    /** {@code <set>} or {@code <none>}. */
    public static String mask(String secret) {
        return secret == null || secret.isBlank() ? "<none>" : "<set>";
    }

    /** A URL whose path or query may be the secret (webhooks): scheme, host and port only. */
    public static String maskUrl(String url) {
        if (url == null || url.isBlank()) {
            return "<none>";
        }
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + "/<redacted>";
        } catch (IllegalArgumentException e) {
            return "<set>";
        }
    }
}
