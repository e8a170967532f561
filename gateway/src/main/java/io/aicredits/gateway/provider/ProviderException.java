package io.aicredits.gateway.provider;

import java.util.regex.Pattern;

/**
 * The AI provider failed (error status, timeout, unreadable answer). Never carries the API key;
 * what callers see of it ({@link #publicMessage(Throwable)}) never names the provider's host or address.
 */
public class ProviderException extends RuntimeException {

    private static final Pattern URL = Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://\\S+");
    private static final Pattern IPV4 = Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d+)?\\b");
    private static final Pattern IPV6 = Pattern.compile("\\[?\\b[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}\\b\\]?(?::\\d+)?");
    private static final Pattern HOST_PORT = Pattern.compile("\\b[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)+(?:/[^\\s:]*)?:\\d+\\b");

    public ProviderException(String message, Throwable cause) {
        super(message, cause);
    }

    public ProviderException(String message) {
        super(message);
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
