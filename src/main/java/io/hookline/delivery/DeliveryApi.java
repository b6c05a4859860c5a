package io.hookline.delivery;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The response bodies of the delivery log. */
public final class DeliveryApi {
    private DeliveryApi() {
    }

    @Schema(name = "DeliveryStatus", enumeration = { "pending", "in_flight", "succeeded", "failed", "cancelled" })
    public enum Status {
        pending, in_flight, succeeded, failed, cancelled
    }

    @Schema(name = "Delivery")
    @RegisterForReflection
    public record View(
            @Schema(example = "dlv_01jdx8k2m3n4p5q6r7s8t9v0w1") String id,
            String eventId,
            String webhookId,
            @Schema(enumeration = { "pending", "in_flight", "succeeded", "failed", "cancelled" }) String status,
            @Schema(description = "Attempts made so far") int attempts,
            @Schema(description = "When the next attempt is due (pending only)") Instant nextAttemptAt,
            Integer lastStatusCode,
            String lastError,
            Instant createdAt,
            Instant completedAt) {

        public static View of(Delivery d) {
            return new View(d.id, d.eventId, d.webhookId, d.status, d.attempts,
                    "pending".equals(d.status) ? d.nextAttemptAt : null, d.lastStatusCode, d.lastError, d.createdAt,
                    d.completedAt);
        }
    }

    @Schema(name = "DeliveryAttempt")
    @RegisterForReflection
    public record Attempt(
            int attempt,
            Instant startedAt,
            int durationMs,
            @Schema(description = "HTTP status of the answer; absent when none arrived") Integer responseStatus,
            @Schema(description = "First 4 KiB of the answer") String responseBody,
            @Schema(description = "Absent on success", enumeration = { "http_status", "timeout", "connection", "tls",
                    "dns", "blocked_address", "redirect", "internal" }) String errorClass,
            String errorMessage) {

        static Attempt of(DeliveryAttempt a) {
            return new Attempt(a.attempt, a.startedAt, a.durationMs, a.responseStatus, a.responseBody, a.errorClass,
                    a.errorMessage);
        }
    }

    @Schema(name = "DeliveryWithAttempts")
    @RegisterForReflection
    public record Detail(View delivery, String eventType, List<Attempt> attempts) {
    }

    @Schema(name = "DeliveryPage")
    @RegisterForReflection
    public record DeliveryPage(List<View> data, String next) {
    }

    @Schema(name = "TestDeliveryResult")
    @RegisterForReflection
    public record TestResult(
            @Schema(description = "true when the endpoint answered 2xx") boolean success,
            @Schema(description = "HTTP status of the answer; absent when none arrived", example = "200") Integer status,
            @Schema(example = "87") int durationMs,
            @Schema(description = "First 4 KiB of the answer") String body,
            @Schema(description = "What went wrong, when it did", example = "answered 500") String error,
            @Schema(description = "The logged delivery of the test event") String deliveryId) {
    }
}
