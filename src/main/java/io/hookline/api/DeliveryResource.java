package io.hookline.api;

import io.hookline.auth.Tenant;
import io.hookline.contract.DeliveryApi;
import io.hookline.service.DeliveryService;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/deliveries")
@Authenticated
@Tag(name = "deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    @Inject
    DeliveryService deliveries;

    @Inject
    Tenant tenant;

    @GET
    @Path("/{id}")
    @Operation(operationId = "getDelivery", summary = "Get a delivery with all its attempts")
    @APIResponse(
            responseCode = "200",
            description = "The delivery",
            content = @Content(schema = @Schema(implementation = DeliveryApi.Detail.class)))
    public DeliveryApi.Detail getDelivery(
            @Parameter(description = "The delivery id", example = "dlv_01jdx8k2m3n4p5q6r7s8t9v0w1") @PathParam("id")
                    String id) {
        return deliveries.get(tenant.id(), id);
    }

    @POST
    @Path("/{id}/redeliver")
    @Operation(
            operationId = "redeliver",
            summary = "Queue the same event to the same webhook again",
            description = "Creates a new delivery of the same event (same event id and bytes, so receivers can "
                    + "de-duplicate). The webhook must be enabled.")
    @APIResponse(
            responseCode = "202",
            description = "The new delivery, queued",
            content = @Content(schema = @Schema(implementation = DeliveryApi.View.class)))
    @APIResponse(
            responseCode = "409",
            description = "The webhook is disabled or revoked",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public Response redeliver(
            @Parameter(description = "The delivery id", example = "dlv_01jdx8k2m3n4p5q6r7s8t9v0w1") @PathParam("id")
                    String id) {
        DeliveryApi.View queued = deliveries.redeliver(tenant.id(), id);
        return Response.accepted(queued)
                .header("Location", "/v1/deliveries/" + queued.id())
                .build();
    }
}
