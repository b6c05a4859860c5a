package io.hookline.contract;

import io.hookline.store.Delivery;
import io.hookline.store.DeliveryAttempt;
import io.hookline.store.DeliveryStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The response bodies of the delivery log. */
public final class DeliveryApi {
    private DeliveryApi() {}

    @Schema(name = "Delivery")
    @RegisterForReflection
    public record View(
            @Schema(required = true, example = "dlv_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String id,

            @Schema(required = true, example = "evt_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String eventId,

            @Schema(required = true, example = "wh_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String webhookId,

            @Schema(required = true, ref = "DeliveryStatus") String status,

            @Schema(required = true, description = "Attempts made so far", example = "1")
            int attempts,

            @Schema(required = true, nullable = true, description = "When the next attempt is due (pending only)")
            Instant nextAttemptAt,

            @Schema(required = true, nullable = true, description = "HTTP status of the last answer", example = "200")
            Integer lastStatusCode,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "What went wrong in the last attempt",
                    example = "answered 503")
            String lastError,

            @Schema(required = true) Instant createdAt,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "When it succeeded, failed for good or was cancelled")
            Instant completedAt) {

        public static View of(Delivery d) {
            return new View(
                    d.id,
                    d.eventId,
                    d.webhookId,
                    d.status.value(),
                    d.attempts,
                    d.status == DeliveryStatus.PENDING ? d.nextAttemptAt : null,
                    d.lastStatusCode,
                    d.lastError,
                    d.createdAt,
                    d.completedAt);
        }
    }

    @Schema(name = "DeliveryAttempt")
    @RegisterForReflection
    public record Attempt(
            @Schema(required = true, description = "1 for the first attempt", example = "1")
            int attempt,

            @Schema(required = true) Instant startedAt,
            @Schema(required = true, example = "87") int durationMs,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "HTTP status of the answer; null when none arrived",
                    example = "200")
            Integer responseStatus,

            @Schema(required = true, nullable = true, description = "First 4 KiB of the answer", example = "ok")
            String responseBody,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Why the attempt failed; null on success",
                    enumeration = {
                        "http_status",
                        "timeout",
                        "connection",
                        "tls",
                        "dns",
                        "blocked_address",
                        "redirect",
                        "invalid_response",
                        "internal"
                    },
                    example = "http_status")
            String errorClass,

            @Schema(required = true, nullable = true, example = "answered 503")
            String errorMessage) {

        public static Attempt of(DeliveryAttempt a) {
            return new Attempt(
                    a.attempt,
                    a.startedAt,
                    a.durationMs,
                    a.responseStatus,
                    a.responseBody,
                    a.errorClass == null ? null : a.errorClass.value(),
                    a.errorMessage);
        }
    }

    @Schema(name = "DeliveryWithAttempts")
    @RegisterForReflection
    public record Detail(
            @Schema(required = true) View delivery,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Null once retention removed the event",
                    example = "transaction.created")
            String eventType,

            @Schema(required = true) List<Attempt> attempts) {}

    @Schema(name = "DeliveryPage")
    @RegisterForReflection
    public record DeliveryPage(
            @Schema(required = true) List<View> data,

            @Schema(
                    description = "Pass as `after` for the next page; absent on the last page",
                    example = "dlv_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String next) {}

    @Schema(name = "TestDeliveryResult")
    @RegisterForReflection
    public record TestResult(
            @Schema(required = true, description = "true when the endpoint answered 2xx", example = "true")
            boolean success,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "HTTP status of the answer; null when none arrived",
                    example = "200")
            Integer status,

            @Schema(required = true, example = "87") int durationMs,

            @Schema(required = true, nullable = true, description = "First 4 KiB of the answer", example = "ok")
            String body,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "What went wrong, when it did; null on success",
                    example = "answered 500")
            String error,

            @Schema(
                    required = true,
                    description = "The logged delivery of the test event",
                    example = "dlv_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String deliveryId) {}

    /** What to recover: the webhook's failed deliveries created in [since, until). */
    @Schema(name = "RecoverDeliveries")
    @RegisterForReflection
    public record Recover(
            @Schema(required = true, description = "Start of the window (inclusive)", example = "2026-11-29T22:00:00Z")
            @NotNull(message = "is required")
            Instant since,

            @Schema(
                    nullable = true,
                    description = "End of the window (exclusive); now when absent",
                    example = "2026-11-30T02:00:00Z")
            Instant until) {}

    @Schema(name = "RecoveredDeliveries")
    @RegisterForReflection
    public record Recovered(
            @Schema(
                    required = true,
                    description = "Failed deliveries queued again (each as a new pending delivery); 0 when every one "
                            + "in the window already has a waiting, in-flight or successful copy",
                    example = "42")
            int requeued,

            @Schema(
                    required = true,
                    description = "true when this call queued as many as one call may (100,000): there may be more; "
                            + "call again with the same window for the rest",
                    example = "false")
            boolean more,

            @Schema(required = true) Instant since,
            @Schema(required = true) Instant until) {}
}
