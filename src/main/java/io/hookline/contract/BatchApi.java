package io.hookline.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The request and response bodies of {@code POST /v1/events/batch} (read by {@link PublishBatch}). */
public final class BatchApi {
    private BatchApi() {}

    @Schema(name = "PublishEventBatch")
    @RegisterForReflection
    public record Publish(
            @Schema(
                    required = true,
                    description = "1 to 1,000 events (hookline.events.batch-max-items), each exactly the body of a "
                            + "single publish (POST /v1/events); the whole request is bounded by "
                            + "the body limit of every request, quarkus.http.limits.max-body-size (1 MiB by default)",
                    minItems = 1,
                    maxItems = PublishBatch.MAX_ITEMS)
            List<EventApi.Publish> events,

            @Schema(
                    description = "All or nothing: when true, one event that breaks a rule refuses the whole request "
                            + "with a 422 naming each such event (`events[i].field`) and nothing is stored. When false "
                            + "(the default) each event is judged alone and the good ones are stored.",
                    defaultValue = "false",
                    example = "false")
            Boolean atomic) {}

    @Schema(name = "PublishedEventBatch")
    @RegisterForReflection
    public record Published(
            @Schema(required = true, description = "One result per event sent, in the order sent")
            List<Result> results) {}

    /**
     * The result of one event of a batch: what {@code POST /v1/events} would have answered for it alone.
     *
     * @param index    position in the request's events, from 0
     * @param status   202 accepted (new or replayed, as for a single publish), else the 4xx of the problem
     * @param replayed true when the idempotency key was published before (by an earlier request, or by an earlier
     *                 event of this batch): the event returned is that first one
     */
    @Schema(name = "PublishedEventBatchResult")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    public record Result(
            @Schema(required = true, description = "Position in the request's events, from 0", example = "0")
            int index,

            @Schema(
                    required = true,
                    description = "202: stored and queued (or replayed: see replayed), as a single publish answers; "
                            + "otherwise the status of `problem` (422 a broken rule, 413 an event over "
                            + "hookline.events.max-payload-bytes)",
                    example = "202")
            int status,

            @Schema(description = "The event id (on 202)", example = "evt_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String id,

            @Schema(description = "The event type (on 202)", example = "transaction.created")
            String type,

            @Schema(description = "When the event was first published (on 202)")
            Instant occurredAt,

            @Schema(
                    description = "Deliveries queued for the event: one per enabled webhook whose filter matches (on "
                            + "202)",
                    example = "2")
            Integer deliveries,

            @Schema(
                    description = "On 202: true when the event's id was published before (in an earlier request or "
                            + "earlier in this batch); the event described is that first one and nothing more was "
                            + "queued",
                    example = "false")
            Boolean replayed,

            @Schema(description = "What is wrong with this event (on 4xx); the fields are the event's own")
            Problem problem) {

        public static Result accepted(int index, EventApi.Published event, boolean replayed) {
            return new Result(
                    index, 202, event.id(), event.type(), event.occurredAt(), event.deliveries(), replayed, null);
        }

        public static Result refused(int index, ProblemException problem) {
            return new Result(index, problem.status(), null, null, null, null, null, problem.toProblem());
        }
    }
}
