package io.hookline.contract;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The response body of GET /v1/events, the event feed for consumers who poll instead of receiving webhooks. */
public final class FeedApi {
    private FeedApi() {}

    @Schema(name = "FeedEvent", description = "One event of the feed")
    @RegisterForReflection
    public record Item(
            @Schema(required = true, example = "evt_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String id,

            @Schema(required = true, example = "transaction.created")
            String type,

            @Schema(required = true) Instant occurredAt,

            @Schema(
                    required = true,
                    description = "Exactly the body a webhook delivery of this event carries (data byte for byte as "
                            + "published), so one handler serves both",
                    ref = "EventPayload")
            @JsonRawValue
            String payload) {}

    @Schema(name = "EventFeedPage")
    @RegisterForReflection
    public record Page(
            @Schema(required = true, description = "Events in feed order, oldest first; may be empty")
            List<Item> data,

            @Schema(
                    required = true,
                    description = "Always present, also on an empty page: pass it as `after` in the next call",
                    example = "MTIzNDU2LmV2dF8wMWpkeDhrMm0zbjRwNXE2cjdzOHQ5djB3MQ")
            String next) {}
}
