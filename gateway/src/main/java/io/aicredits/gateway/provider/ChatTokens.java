package io.aicredits.gateway.provider;

import java.util.List;
import java.util.Map;

/**
 * Prompt tokens of an OpenAI chat request, counted with jtokkit ({@link SandboxProvider#countTokens})
 * and framed as OpenAI frames messages: 3 tokens per message, 1 for a {@code name}, 3 to prime the reply.
 * Text content (a string or {@code {"type":"text","text":…}} parts) is counted; other parts are not.
 */
public final class ChatTokens {

    private static final long PER_MESSAGE = 3;
    private static final long PER_NAME = 1;
    private static final long REPLY_PRIMING = 3;

    private ChatTokens() {
    }

    /** {@code messages} as the JSON body holds them: a list of objects with {@code role} and {@code content}. */
    public static long prompt(List<?> messages) {
        long tokens = REPLY_PRIMING;
        for (Object item : messages) {
            if (!(item instanceof Map<?, ?> message)) {
                continue;
            }
            tokens += PER_MESSAGE;
            if (message.get("role") instanceof String role) {
                tokens += SandboxProvider.countTokens(role);
            }
            if (message.get("name") instanceof String name) {
                tokens += PER_NAME + SandboxProvider.countTokens(name);
            }
            tokens += SandboxProvider.countTokens(text(message.get("content")));
        }
        return tokens;
    }

    /** The text of a message's {@code content}: the string, or its text parts joined. */
    public static String text(Object content) {
        if (content instanceof String text) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        if (content instanceof List<?> parts) {
            for (Object part : parts) {
                if (part instanceof Map<?, ?> map && "text".equals(map.get("type")) && map.get("text") instanceof String text) {
                    out.append(text);
                }
            }
        }
        return out.toString();
    }
}
