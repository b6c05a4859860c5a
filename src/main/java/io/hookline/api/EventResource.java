package io.hookline.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.auth.Tenant;
import io.hookline.contract.DeliveryApi;
import io.hookline.contract.EventApi;
import io.hookline.contract.FeedApi;
import io.hookline.contract.ProblemException;
import io.hookline.contract.PublishRequest;
import io.hookline.contract.Validation;
import io.hookline.service.EventFeed;
import io.hookline.service.EventService;
import io.hookline.service.FeedCursor;
import io.hookline.store.Delivery;
import io.hookline.store.StoredEvent;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/events")
@Authenticated
@Tag(name = "events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EventResource {

    @Inject
    EventService events;

    @Inject
    Tenant tenant;

    @Inject
    ObjectMapper json;

    @Inject
    Validator validator;

    @Inject
    EventFeed feed;

    @POST
    @Operation(
            operationId = "publishEvent",
            summary = "Publish an event",
            description =
                    "Stores the event and queues one delivery per enabled webhook whose eventTypes match. "
                            + "Publishing again with the same Idempotency-Key (or id) returns the first event and queues nothing.")
    @APIResponse(
            responseCode = "202",
            description = "Accepted and queued",
            headers =
                    @Header(
                            name = "Idempotent-Replayed",
                            description = "true when this key was published before",
                            schema = @Schema(type = SchemaType.BOOLEAN)),
            content = @Content(schema = @Schema(implementation = EventApi.Published.class)))
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = EventApi.Publish.class)))
    public Response publishEvent(
            byte[] body,
            @Parameter(
                            description = "De-duplicates retries of this request (1 to 255 characters)",
                            example = "order-42-paid")
                    @HeaderParam("Idempotency-Key")
                    String idempotencyKey) {
        // read here, not bound to a record: data must reach receivers as the exact bytes sent (see PublishRequest)
        PublishRequest request = PublishRequest.parse(json.getFactory(), body);
        check(request, idempotencyKey);
        EventService.Result result = events.publish(tenant.id(), request, idempotencyKey);
        // rendered here, not by Quarkus REST: for a Response's entity it looks a writer up per request and Jackson
        // writes through a blocking output stream handed to the event loop (5-6 % of the API threads in the publish
        // benchmark); the bytes are written at once. The same ObjectMapper, so the same JSON.
        Response.ResponseBuilder response = Response.accepted(render(result.event()))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("Location", "/v1/events/" + result.event().id());
        if (result.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.build();
    }

    private byte[] render(EventApi.Published published) {
        try {
            return json.writeValueAsBytes(published);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rendering the answer failed", e);
        }
    }

    /**
     * The constraints of the request's fields; the {@code Idempotency-Key} header, when given, is the key and obeys
     * the rules of {@code id}, and an {@code id} beside it must be equal to it.
     */
    private void check(PublishRequest request, String idempotencyKey) {
        Validation v = new Validation();
        if (idempotencyKey == null) {
            v.add(validator.validate(request));
        } else {
            v.add(validator.validateProperty(request, "type"));
            if (request.id() != null && !idempotencyKey.equals(request.id())) {
                v.fail("id", "differs from the Idempotency-Key header; give one or make them equal");
            } else {
                v.add("Idempotency-Key", validator.validateValue(PublishRequest.class, "id", idempotencyKey));
            }
        }
        v.throwIfInvalid();
    }

    @GET
    @Operation(
            operationId = "listEvents",
            summary = "The event feed: the tenant's events, oldest first, for consumers who poll",
            description =
                    "Pass `next` as `after` in the next call: it is always present, also on an empty page, and no "
                            + "event is ever skipped (an event appears once every older transaction has finished, so one that "
                            + "commits late is never behind a cursor already handed out). With `wait`, a call that finds "
                            + "nothing waits up to that many seconds for an event and answers as soon as one is there. Each "
                            + "item carries the exact body a webhook delivery of the event sends. Test events "
                            + "(webhook.test) are not in the feed; events removed by retention leave it from the start.")
    @APIResponse(
            responseCode = "200",
            description = "One page of the feed, possibly empty, and where to go on from",
            content = @Content(schema = @Schema(implementation = FeedApi.Page.class)))
    // Not @Blocking: the reads run on the worker pool and a waiting poll holds no thread (see EventFeed)
    public Uni<FeedApi.Page> listEvents(
            @Parameter(
                            description = "The `next` of the previous answer; absent: from the oldest event kept",
                            example = "MTIzNDU2LmV2dF8wMWpkeDhrMm0zbjRwNXE2cjdzOHQ5djB3MQ",
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            maxLength = FeedCursor.MAX_LENGTH,
                                            pattern = "^[A-Za-z0-9_-]*$"))
                    @QueryParam("after")
                    String after,
            @Parameter(
                            description = "Only these event types, comma-separated: exact types, or prefixes ending "
                                    + "in '*' as in a webhook's eventTypes (at most 100)",
                            example = "transaction.*,subscription.created",
                            schema = @Schema(type = SchemaType.STRING))
                    @QueryParam("types")
                    String types,
            @Parameter(
                            description = "Page size, 1 to 250 (default 50)",
                            example = "50",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "250",
                                            defaultValue = "50"))
                    @QueryParam("limit")
                    String limit,
            @Parameter(
                            description = "Seconds to wait for an event when there is none yet, 0 to 30 (default 0)",
                            example = "20",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "0",
                                            maximum = "30",
                                            defaultValue = "0"))
                    @QueryParam("wait")
                    String wait) {
        return feed.poll(feed.query(tenant.id(), after, types, limit, wait));
    }

    @GET
    @Path("/{id}")
    @Transactional
    @Operation(operationId = "getEvent", summary = "Get an event and the state of its deliveries")
    @APIResponse(
            responseCode = "200",
            description = "The event",
            content = @Content(schema = @Schema(implementation = EventApi.View.class)))
    public EventApi.View getEvent(
            @Parameter(description = "The event id", example = "evt_01jdx8k2m3n4p5q6r7s8t9v0w1") @PathParam("id")
                    String id) {
        StoredEvent e =
                StoredEvent.findForTenant(tenant.id(), id).orElseThrow(() -> ProblemException.notFound("event", id));
        var deliveries = Delivery.<Delivery>list("eventId = ?1 order by id", e.id).stream()
                .map(DeliveryApi.View::of)
                .toList();
        return new EventApi.View(
                e.id, e.type, e.createdAt, e.idempotencyKey, new String(e.body, StandardCharsets.UTF_8), deliveries);
    }
}
