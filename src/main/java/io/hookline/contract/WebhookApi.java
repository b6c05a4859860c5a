package io.hookline.contract;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.store.Webhook;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The request and response bodies of /v1/webhooks. The rules of the request fields are Bean Validation constraints
 * on the records; a broken one is a 422 naming the field (see {@link Validation}).
 */
public final class WebhookApi {
    public static final int MAX_DESCRIPTION = 512;
    public static final String MAX_CONCURRENCY_RANGE =
            "must be between 1 and this service's ceiling (hookline.delivery.max-concurrency-per-webhook), or null";
    public static final long MAX_GRACE_SECONDS = 30L * 24 * 3600;

    private static final String DESCRIPTION_LENGTH = "must be at most " + MAX_DESCRIPTION + " characters";
    private static final String GRACE_RANGE = "must be between 0 and " + MAX_GRACE_SECONDS + " (30 days)";

    private WebhookApi() {}

    @Schema(name = "CreateWebhook")
    @RegisterForReflection
    public record Create(
            @Schema(
                    required = true,
                    description = "https URL that receives the deliveries",
                    maxLength = WebhookUrl.MAX_LENGTH,
                    example = "https://example.com/hooks/hookline")
            @NotNull(message = "is required")
            @WebhookUrl
            String url,

            @Schema(maxLength = MAX_DESCRIPTION, example = "Billing events for the ledger service")
            @Size(max = MAX_DESCRIPTION, message = DESCRIPTION_LENGTH)
            @Storable
            String description,

            @Schema(
                    description = "Event types to receive; exact types or prefixes ending in '*', each at most 255 "
                            + "characters. Empty or absent: all types",
                    maxItems = EventTypeFilter.MAX_ENTRIES,
                    example = "[\"transaction.*\", \"subscription.created\"]")
            @EventTypeFilter
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
            @Min(value = 1, message = MAX_CONCURRENCY_RANGE)
            Integer maxConcurrency) {}

    /**
     * A PATCH: a field that is absent (null here) is left as it is, except {@code description}, which a JSON null
     * clears (see {@link #read}).
     */
    @Schema(name = "UpdateWebhook", description = "Only the fields present are changed; description null clears it")
    @RegisterForReflection
    public record Update(
            @Schema(maxLength = WebhookUrl.MAX_LENGTH, example = "https://example.com/hooks/v2") @WebhookUrl
            String url,

            @Schema(maxLength = MAX_DESCRIPTION, nullable = true, example = "Ledger service, v2")
            @Size(max = MAX_DESCRIPTION, message = DESCRIPTION_LENGTH)
            @Storable
            String description,

            @Schema(
                    description = "Replaces the filter; each entry at most 255 characters",
                    maxItems = EventTypeFilter.MAX_ENTRIES,
                    example = "[\"transaction.created\"]")
            @EventTypeFilter
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
            @Min(value = 1, message = MAX_CONCURRENCY_RANGE)
            Integer maxConcurrency) {

        /**
         * Reads a PATCH body field by field, so that every field of the wrong JSON type and every unknown field is
         * named at once (a bound record would stop at the first), into {@code shape}; the values are then checked by
         * the constraints above. An entry of {@code eventTypes} that is not a string is read as null, which the
         * filter's rules refuse as "must be a string" after checking the list's size.
         */
        public static Update read(JsonNode patch, Validation shape) {
            String url = null;
            String description = null;
            List<String> eventTypes = null;
            Boolean enabled = null;
            Integer maxConcurrency = null;
            Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                switch (field.getKey()) {
                    case "url" -> {
                        if (value.isTextual()) {
                            url = value.asText();
                        } else {
                            shape.fail("url", "must be a string");
                        }
                    }
                    case "description" -> {
                        if (value.isTextual()) {
                            description = value.asText();
                        } else if (!value.isNull()) {
                            shape.fail("description", "must be a string or null");
                        }
                    }
                    case "eventTypes" -> {
                        if (value.isArray()) {
                            eventTypes = new ArrayList<>(value.size());
                            for (JsonNode type : value) {
                                eventTypes.add(type.isTextual() ? type.asText() : null);
                            }
                        } else {
                            shape.fail("eventTypes", "must be an array of strings");
                        }
                    }
                    case "enabled" -> {
                        if (value.isBoolean()) {
                            enabled = value.asBoolean();
                        } else {
                            shape.fail("enabled", "must be true or false");
                        }
                    }
                    case "maxConcurrency" -> {
                        if (value.isIntegralNumber() && value.canConvertToInt()) {
                            maxConcurrency = value.intValue();
                        } else if (!value.isNull()) {
                            shape.fail("maxConcurrency", "must be an integer or null");
                        }
                    }
                    default ->
                        shape.fail(
                                field.getKey(),
                                "is not a field that can be changed (url, description, eventTypes, enabled, "
                                        + "maxConcurrency)");
                }
            }
            return new Update(url, description, eventTypes, enabled, maxConcurrency);
        }
    }

    @Schema(name = "RotateSecret")
    @RegisterForReflection
    public record Rotate(
            @Schema(
                    description = "Seconds the old secret keeps signing beside the new one (0 = stops at once)",
                    minimum = "0",
                    maximum = "2592000",
                    example = "86400")
            @Min(value = 0, message = GRACE_RANGE)
            @Max(value = MAX_GRACE_SECONDS, message = GRACE_RANGE)
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
                    description =
                            "Since when every delivery attempt to the endpoint has failed; null while it is healthy")
            Instant failingSince,

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
                    w.failingSince,
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
