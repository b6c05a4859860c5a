package io.hookline.contract;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The request and response bodies of /v1/events. */
public final class EventApi {
    private EventApi() {}

    @Schema(name = "PublishEvent")
    @RegisterForReflection
    public record Publish(
            @Schema(
                    required = true,
                    description = "Event type: a-z, 0-9, '_', '.', '-'",
                    maxLength = 255,
                    example = "transaction.created")
            String type,

            @Schema(
                    required = true,
                    description = "Any JSON value but null (object, array, string, number, boolean), "
                            + "sent to receivers byte for byte as the envelope's data",
                    example = "{\"transactionId\": \"txn_123\", \"amount\": 4200, \"customer\": {\"id\": \"cus_9\"}}")
            Object data,

            @Schema(
                    description = "Your id for this event: publishing the same id again returns the first event and "
                            + "queues nothing (same as the Idempotency-Key header)",
                    maxLength = 255,
                    example = "order-42-paid")
            String id) {}

    @Schema(name = "PublishedEvent")
    @RegisterForReflection
    public record Published(
            @Schema(required = true, example = "evt_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String id,

            @Schema(required = true, example = "transaction.created")
            String type,

            @Schema(required = true) Instant occurredAt,

            @Schema(
                    required = true,
                    description = "Deliveries queued: one per enabled webhook whose filter matches",
                    example = "2")
            int deliveries) {}

    @Schema(name = "Event")
    @RegisterForReflection
    public record View(
            @Schema(required = true, example = "evt_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String id,

            @Schema(required = true, example = "transaction.created")
            String type,

            @Schema(required = true) Instant occurredAt,

            @Schema(required = true, nullable = true, example = "order-42-paid")
            String idempotencyKey,

            @Schema(required = true, description = "The exact JSON body every delivery sends", ref = "EventPayload")
            @JsonRawValue
            String payload,

            @Schema(required = true) List<DeliveryApi.View> deliveries) {}

    @Schema(name = "EventPayload", description = "The body of every delivery of an event")
    public record Payload(
            @Schema(required = true) PayloadMeta meta,

            @Schema(
                    required = true,
                    description = "The data as published, byte for byte",
                    example = "{\"transactionId\": \"txn_123\", \"amount\": 4200}")
            Object data) {}

    @Schema(name = "EventPayloadMeta")
    public record PayloadMeta(
            @Schema(required = true, example = "evt_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String event_id,

            @Schema(required = true, example = "transaction.created")
            String event_type,

            @Schema(required = true, example = "2026-11-30T10:15:30.123Z")
            Instant occurred_at) {}
}
