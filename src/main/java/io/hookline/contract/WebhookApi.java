package io.hookline.contract;

import io.hookline.store.Webhook;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The request and response bodies of /v1/webhooks. */
public final class WebhookApi {
    private WebhookApi() {}

    @Schema(name = "CreateWebhook")
    @RegisterForReflection
    public record Create(
            @Schema(
                    required = true,
                    description = "https URL that receives the deliveries",
                    maxLength = 2048,
                    example = "https://example.com/hooks/hookline")
            String url,

            @Schema(maxLength = 512, example = "Billing events for the ledger service")
            String description,

            @Schema(
                    description = "Event types to receive; exact types or prefixes ending in '*', each at most 255 "
                            + "characters. Empty or absent: all types",
                    maxItems = 100,
                    example = "[\"transaction.*\", \"subscription.created\"]")
            List<String> eventTypes,

            @Schema(
                    description =
                            "Most requests Hookline sends to this endpoint at once, per replica, for an endpoint that "
                                    + "must be protected: between 1 and the replica's ceiling "
                                    + "(hookline.delivery.max-concurrency-per-webhook, 128 by default). Absent or null: no cap "
                                    + "of yours; the endpoint's adaptive limit still applies",
                    minimum = "1",
                    nullable = true,
                    example = "8")
            Integer maxConcurrency) {}

    @Schema(name = "UpdateWebhook", description = "Only the fields present are changed; description null clears it")
    @RegisterForReflection
    public record Update(
            @Schema(maxLength = 2048, example = "https://example.com/hooks/v2")
            String url,

            @Schema(maxLength = 512, nullable = true, example = "Ledger service, v2")
            String description,

            @Schema(
                    description = "Replaces the filter; each entry at most 255 characters",
                    maxItems = 100,
                    example = "[\"transaction.created\"]")
            List<String> eventTypes,

            @Schema(
                    description = "true re-enables a disabled webhook and resets its failure count; false disables it",
                    example = "true")
            Boolean enabled,

            @Schema(
                    description =
                            "Most requests Hookline sends to this endpoint at once, per replica, for an endpoint that "
                                    + "must be protected: between 1 and the replica's ceiling "
                                    + "(hookline.delivery.max-concurrency-per-webhook, 128 by default). null removes the cap"
                                    + "; the endpoint's adaptive limit still applies",
                    minimum = "1",
                    nullable = true,
                    example = "8")
            Integer maxConcurrency) {}

    @Schema(name = "RotateSecret")
    @RegisterForReflection
    public record Rotate(
            @Schema(
                    description = "Seconds the old secret keeps signing beside the new one (0 = stops at once)",
                    minimum = "0",
                    maximum = "2592000",
                    example = "86400")
            Long graceSeconds) {}

    @Schema(name = "Webhook")
    @RegisterForReflection
    public record View(
            @Schema(required = true, example = "wh_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String id,

            @Schema(required = true, example = "https://example.com/hooks/hookline")
            String url,

            @Schema(required = true, nullable = true, example = "Billing events for the ledger service")
            String description,

            @Schema(required = true, description = "Empty: all event types", example = "[\"transaction.*\"]")
            List<String> eventTypes,

            @Schema(required = true, example = "true") boolean enabled,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Why the webhook is disabled; null while enabled",
                    example = "disabled by API")
            String disabledReason,

            @Schema(required = true) Instant createdAt,
            @Schema(required = true) Instant updatedAt,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Cap on requests in flight to the endpoint at once (per replica); null: none",
                    example = "8")
            Integer maxConcurrency) {

        public static View of(Webhook w) {
            return new View(
                    w.id,
                    w.url,
                    w.description,
                    List.of(w.eventTypes),
                    w.enabled,
                    w.disabledReason,
                    w.createdAt,
                    w.updatedAt,
                    w.maxConcurrency);
        }
    }

    @Schema(name = "WebhookWithSecret", description = "A webhook and its signing secret, shown only in this response")
    @RegisterForReflection
    public record WithSecret(
            @Schema(required = true, example = "wh_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String id,

            @Schema(required = true, example = "https://example.com/hooks/hookline")
            String url,

            @Schema(required = true, nullable = true, example = "Billing events for the ledger service")
            String description,

            @Schema(required = true, description = "Empty: all event types", example = "[\"transaction.*\"]")
            List<String> eventTypes,

            @Schema(required = true, example = "true") boolean enabled,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Why the webhook is disabled; null while enabled",
                    example = "disabled by API")
            String disabledReason,

            @Schema(required = true) Instant createdAt,
            @Schema(required = true) Instant updatedAt,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Cap on requests in flight to the endpoint at once (per replica); null: none",
                    example = "8")
            Integer maxConcurrency,

            @Schema(
                    required = true,
                    description = "Signing secret: store it now, it is never shown again",
                    example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            String secret) {

        public static WithSecret of(Webhook w, String secret) {
            return new WithSecret(
                    w.id,
                    w.url,
                    w.description,
                    List.of(w.eventTypes),
                    w.enabled,
                    w.disabledReason,
                    w.createdAt,
                    w.updatedAt,
                    w.maxConcurrency,
                    secret);
        }
    }
}
