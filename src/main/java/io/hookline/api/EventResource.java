package io.hookline.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.auth.Tenant;
import io.hookline.contract.DeliveryApi;
import io.hookline.contract.EventApi;
import io.hookline.contract.ProblemException;
import io.hookline.contract.PublishRequest;
import io.hookline.contract.Validation;
import io.hookline.service.EventService;
import io.hookline.store.Delivery;
import io.hookline.store.StoredEvent;
import io.quarkus.security.Authenticated;
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
        Response.ResponseBuilder response = Response.accepted(result.event())
                .header("Location", "/v1/events/" + result.event().id());
        if (result.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.build();
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
