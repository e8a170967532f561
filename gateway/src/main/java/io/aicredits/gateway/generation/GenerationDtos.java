package io.aicredits.gateway.generation;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;

/** Request and response bodies of the generation endpoints (field names as in the credits API, see docs/requirements.md). */
final class GenerationDtos {

    record TextRequest(@JsonProperty("prompt") String prompt,
                       @JsonProperty("tone") String tone,
                       @JsonProperty("length") String length) {
    }

    record TextResponse(@JsonProperty("variants") List<String> variants,
                        @JsonProperty("generation_id") String generationId,
                        @JsonProperty("credits_remaining") long creditsRemaining) {
    }

    record ImageRequest(@JsonProperty("prompt") String prompt,
                        @JsonProperty("width") Integer width,
                        @JsonProperty("height") Integer height) {
    }

    record ImageResponse(@JsonProperty("status") String status,
                         @JsonProperty("generation_id") String generationId,
                         @JsonProperty("image_id") String imageId,
                         @JsonProperty("image_url") String imageUrl,
                         @JsonProperty("credits_remaining") long creditsRemaining) {
    }

    record OperationRequest(@JsonProperty("content") String content) {
    }

    record OperationUsage(@JsonProperty("tokens_input") long tokensInput,
                          @JsonProperty("tokens_output") long tokensOutput,
                          @JsonProperty("audio_seconds") long audioSeconds,
                          @JsonProperty("cost_usd") BigDecimal costUsd) {
    }

    record OperationResponse(@JsonProperty("operation") String operation,
                             @JsonProperty("model") String model,
                             @JsonProperty("result") String result,
                             @JsonProperty("generation_id") String generationId,
                             @JsonProperty("credits_remaining") long creditsRemaining,
                             @JsonProperty("usage") OperationUsage usage) {
    }

    private GenerationDtos() {
    }
}
