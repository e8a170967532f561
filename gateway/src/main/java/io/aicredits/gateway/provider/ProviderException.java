package io.aicredits.gateway.provider;

import java.util.regex.Pattern;

/**
 * The AI provider failed (error status, timeout, unreadable answer). Never carries the API key;
 * what callers see of it ({@link #publicMessage(Throwable)}) never names the provider's host or address.
 * {@link #status()} is the provider's HTTP status when it answered with one, else 0.
 */
public class ProviderException extends RuntimeException {

    private static final Pattern URL = Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://\\S+");
    private static final Pattern IPV4 = Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d+)?\\b");
    private static final Pattern IPV6 = Pattern.compile("\\[?\\b[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}\\b\\]?(?::\\d+)?");
    private static final Pattern HOST_PORT = Pattern.compile("\\b[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)+(?:/[^\\s:]*)?:\\d+\\b");

    private final int status;

    public ProviderException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public ProviderException(String message) {
        this(message, 0);
    }

    public ProviderException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The provider's HTTP error status, 0 when it did not answer with one (timeout, unreachable, bad body). */
    public int status() {
        return status;
    }

    /**
     * The reason a user may read in a 502: a provider failure's message without URLs, IP
     * addresses or host:port pairs; any other error only as "unexpected error" (its detail is logged).
     */
    public static String publicMessage(Throwable error) {
        if (!(error instanceof ProviderException) || error.getMessage() == null) {
            return "unexpected error";
        }
        String text = URL.matcher(error.getMessage()).replaceAll("<url>");
        text = HOST_PORT.matcher(text).replaceAll("<address>");
        text = IPV4.matcher(text).replaceAll("<address>");
        return IPV6.matcher(text).replaceAll(match -> match.group().chars().filter(c -> c == ':').count() >= 2 ? "<address>" : match.group());
    }
}
