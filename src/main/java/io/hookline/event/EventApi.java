package io.hookline.event;

import io.quarkus.runtime.annotations.RegisterForReflection;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The request and response bodies of /v1/events. */
public final class EventApi {
    private EventApi() {
    }

    @Schema(name = "PublishEvent")
    @RegisterForReflection
    public record Publish(
            @Schema(required = true, description = "Event type: a-z, 0-9, '_', '.', '-'", maxLength = 255,
                    example = "transaction.created") String type,
            @Schema(required = true, description = "Any JSON value; sent to receivers as the envelope's data",
                    example = "{\"transactionId\": \"txn_123\", \"amount\": 4200}") JsonNode data,
            @Schema(description = "Your id for this event: publishing the same id again returns the first event and "
                    + "queues nothing (same as the Idempotency-Key header)", maxLength = 255,
                    example = "order-42-paid") String id) {
    }

    @Schema(name = "PublishedEvent")
    @RegisterForReflection
    public record Published(
            @Schema(example = "evt_01jdx8k2m3n4p5q6r7s8t9v0w1") String id,
            @Schema(example = "transaction.created") String type,
            Instant occurredAt,
            @Schema(description = "Deliveries queued: one per enabled webhook whose filter matches", example = "2")
            int deliveries) {
    }

    @Schema(name = "Event")
    @RegisterForReflection
    public record View(
            @Schema(example = "evt_01jdx8k2m3n4p5q6r7s8t9v0w1") String id,
            String type,
            Instant occurredAt,
            String idempotencyKey,
            @Schema(description = "The exact JSON body every delivery sends", type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)
            @JsonRawValue String payload,
            List<io.hookline.delivery.DeliveryApi.View> deliveries) {
    }
}
