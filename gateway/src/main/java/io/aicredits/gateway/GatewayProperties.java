package io.aicredits.gateway;

import io.aicredits.internal.Secrets;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything the gateway reads from {@code application.yml} under {@code gateway.*}.
 *
 * @param metering   the Kafka request/reply and the stream's balance queries
 * @param security   JWT verification and the self-reset rule
 * @param text       text generation settings
 * @param image      image generation settings
 * @param operations the model-backed operations: operation → model
 * @param prices     model → USD prices (the published OpenAI prices by default)
 * @param provider   which AI provider answers, and OpenAI's connection
 * @param media      where generated images are stored
 */
@ConfigurationProperties("gateway")
public record GatewayProperties(
        Metering metering,
        Security security,
        Text text,
        Image image,
        Map<String, String> operations,
        Map<String, ModelPrice> prices,
        Provider provider,
        Media media) {

    public GatewayProperties {
        operations = operations == null ? Map.of() : Map.copyOf(operations);
        prices = prices == null ? Map.of() : Map.copyOf(prices);
    }

    /**
     * @param instanceId          this instance's id (client ids; reply partition when none is set)
     * @param replyPartition      the ai.decisions partition this instance reads; -1 derives it from the id
     * @param decisionTimeout     wait for a credit decision
     * @param sendTimeout         wait for the broker
     * @param streamUrl           base URL of a metering-stream instance (balance queries)
     * @param queryTimeout        wait for a balance query
     * @param commandApplyTimeout wait for a credit command's outcome (applied or refused) on the stream; then 504
     * @param pool                the pool the credits endpoints show (its prices come from the stream's {@code GET /prices})
     */
    public record Metering(
            @DefaultValue("gateway-local") String instanceId,
            @DefaultValue("-1") int replyPartition,
            @DefaultValue("5s") Duration decisionTimeout,
            @DefaultValue("10s") Duration sendTimeout,
            @DefaultValue("http://localhost:7070") String streamUrl,
            @DefaultValue("5s") Duration queryTimeout,
            @DefaultValue("10s") Duration commandApplyTimeout,
            @DefaultValue("ai_credits") String pool) {
    }

    /**
     * @param jwtSecret HS256 shared secret (local runs); at least 32 bytes; never with {@code jwksUri}
     * @param jwksUri   JWKS URI of the identity provider (production); needs {@code issuer} and {@code audience}
     * @param testMode  test mode: users may reset their own credits
     * @param issuer    the {@code iss} every token must carry (checked when set)
     * @param audience  a value the token's {@code aud} must contain (checked when set)
     */
    public record Security(String jwtSecret, String jwksUri, @DefaultValue("false") boolean testMode,
                           String issuer, String audience) {

        @Override
        public String toString() {
            return "Security[jwtSecret=" + Secrets.mask(jwtSecret)
                    + ", jwksUri=" + jwksUri + ", testMode=" + testMode + ", issuer=" + issuer + ", audience=" + audience + "]";
        }
    }

    /** @param model chat model for POST /api/ai/generate-text */
    public record Text(@DefaultValue("gpt-4o-mini") String model, @DefaultValue("4000") int maxPromptChars) {
    }

    /** @param model image model for POST /api/ai/generate-image */
    public record Image(@DefaultValue("dall-e-3") String model,
                       @DefaultValue("256") int minSide,
                       @DefaultValue("2048") int maxSide) {
    }

    /**
     * USD prices of one model; absent parts are free.
     *
     * @param inputPer1k  per 1 000 input (prompt) tokens
     * @param outputPer1k per 1 000 output (completion) tokens
     * @param perMinute   per minute of audio
     * @param perImage    per generated image
     * @param cachedInputPer1k per 1 000 input tokens the provider served from its prompt cache; absent: the input price
     */
    public record ModelPrice(BigDecimal inputPer1k, BigDecimal outputPer1k, BigDecimal perMinute, BigDecimal perImage,
                             BigDecimal cachedInputPer1k) {

        @org.springframework.boot.context.properties.bind.ConstructorBinding
        public ModelPrice {
        }

        /** Without a cached-input price. */
        public ModelPrice(BigDecimal inputPer1k, BigDecimal outputPer1k, BigDecimal perMinute, BigDecimal perImage) {
            this(inputPer1k, outputPer1k, perMinute, perImage, null);
        }
    }

    /**
     * @param mode   {@code auto} (OpenAI when a key is set, else sandbox), {@code openai} or {@code sandbox}
     * @param openai OpenAI's connection
     */
    public record Provider(@DefaultValue("auto") String mode, @DefaultValue OpenAi openai) {
    }

    /**
     * @param baseUrl API base URL, e.g. https://api.openai.com/v1
     * @param apiKey  secret key (never logged)
     * @param timeout per-call timeout
     * @param maxConnections connection pool size towards OpenAI (further calls queue)
     */
    public record OpenAi(@DefaultValue("https://api.openai.com/v1") String baseUrl,
                         String apiKey,
                         @DefaultValue("60s") Duration timeout,
                         @DefaultValue("1000") int maxConnections) {

        @Override
        public String toString() {
            return "OpenAi[baseUrl=" + baseUrl + ", apiKey=" + Secrets.mask(apiKey)
                    + ", timeout=" + timeout + "]";
        }
    }

    /** @param dir directory for image bytes and their metadata */
    public record Media(Path dir) {
    }
}
