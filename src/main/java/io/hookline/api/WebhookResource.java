package io.hookline.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.auth.Tenant;
import io.hookline.contract.DeliveryApi;
import io.hookline.contract.Page;
import io.hookline.contract.Problem;
import io.hookline.contract.ProblemException;
import io.hookline.contract.WebhookApi;
import io.hookline.service.DeliveryService;
import io.hookline.service.Revocation;
import io.hookline.service.WebhookService;
import io.hookline.store.DeliveryStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/v1/webhooks")
@Authenticated
@Tag(name = "webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class WebhookResource {

    @Inject
    WebhookService webhooks;

    @Inject
    Tenant tenant;

    @Inject
    Revocation revocation;

    @Inject
    DeliveryService deliveries;

    @POST
    @Operation(
            operationId = "createWebhook",
            summary = "Register an endpoint",
            description = "Returns the webhook and its signing secret. The secret is shown only in this response.")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content = @Content(schema = @Schema(implementation = WebhookApi.WithSecret.class)))
    public Response createWebhook(@Valid WebhookApi.Create request) {
        WebhookApi.WithSecret created = webhooks.create(tenant.id(), request);
        return Response.status(201)
                .entity(created)
                .header("Location", "/v1/webhooks/" + created.id())
                .build();
    }

    @GET
    @Operation(operationId = "listWebhooks", summary = "List the tenant's webhooks, newest first")
    @APIResponse(
            responseCode = "200",
            description = "One page of webhooks",
            content = @Content(schema = @Schema(implementation = WebhookPage.class)))
    public Page<WebhookApi.View> listWebhooks(
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
                            description = "The `next` cursor of the previous page",
                            example = "wh_01jdx8k2m3n4p5q6r7s8t9v0w1",
                            schema = @Schema(type = SchemaType.STRING, maxLength = Page.MAX_CURSOR))
                    @QueryParam("after")
                    String after) {
        return webhooks.list(tenant.id(), Page.limit(limit), Page.after(after));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getWebhook", summary = "Get one webhook")
    @APIResponse(
            responseCode = "200",
            description = "The webhook",
            content = @Content(schema = @Schema(implementation = WebhookApi.View.class)))
    public WebhookApi.View getWebhook(
            @Parameter(description = "The webhook id", example = "wh_01jdx8k2m3n4p5q6r7s8t9v0w1") @PathParam("id")
                    String id) {
        return webhooks.get(tenant.id(), id);
    }

    @PATCH
    @Path("/{id}")
    @Operation(operationId = "updateWebhook", summary = "Change url, description, eventTypes or enabled")
    @RequestBody(content = @Content(schema = @Schema(implementation = WebhookApi.Update.class)))
    @APIResponse(
            responseCode = "200",
            description = "The changed webhook",
            content = @Content(schema = @Schema(implementation = WebhookApi.View.class)))
    public WebhookApi.View updateWebhook(
            @Parameter(description = "The webhook id", example = "wh_01jdx8k2m3n4p5q6r7s8t9v0w1") @PathParam("id")
                    String id,
            JsonNode patch) {
        return webhooks.update(tenant.id(), id, patch);
    }

    @DELETE
    @Path("/{id}")
    @Operation(
            operationId = "revokeWebhook",
            summary = "Revoke a webhook (irreversible)",
            description = "Destroys its secrets and cancels its pending deliveries. Once this returns, nothing more is "
                    + "sent to the endpoint.")
    @APIResponse(responseCode = "204", description = "Revoked")
    public Response revokeWebhook(
            @Parameter(description = "The webhook id", example = "wh_01jdx8k2m3n4p5q6r7s8t9v0w1") @PathParam("id")
                    String id) {
        String t = tenant.id();
        webhooks.revoke(t, id);
        revocation.awaitQuiet(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/rotate")
    @Operation(
            operationId = "rotateWebhookSecret",
            summary = "Replace the signing secret",
            description = "Returns the new secret, shown only here. The old one stops signing at once, or after "
                    + "graceSeconds, during which deliveries carry a signature for each.")
    @APIResponse(
            responseCode = "200",
            description = "The webhook and its new secret",
            content = @Content(schema = @Schema(implementation = WebhookApi.WithSecret.class)))
    public WebhookApi.WithSecret rotateWebhookSecret(
            @Parameter(description = "The webhook id", example = "wh_01jdx8k2m3n4p5q6r7s8t9v0w1") @PathParam("id")
                    String id,
            @Valid WebhookApi.Rotate request) {
        return webhooks.rotate(tenant.id(), id, request);
    }

    @POST
    @Path("/{id}/recover")
    @Tag(name = "deliveries")
    @Operation(
            operationId = "recoverWebhookDeliveries",
            summary = "Send again every delivery that failed in a window",
            description = "After an outage of the endpoint: queues again, as new deliveries of the same events, "
                    + "every failed delivery of this webhook created in [since, until) (until: now when absent), "
                    + "oldest first, at most 100,000 per call. A failed delivery that already has a waiting, "
                    + "in-flight or successful copy is skipped, so calling it twice for the same window queues "
                    + "nothing new. Recorded in the audit log.")
    @APIResponse(
            responseCode = "202",
            description = "Queued",
            content = @Content(schema = @Schema(implementation = DeliveryApi.Recovered.class)))
    @APIResponse(
            responseCode = "409",
            description = "The webhook is disabled; re-enable it first",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = DeliveryApi.Recover.class)))
    public Response recoverWebhookDeliveries(
            @Parameter(description = "The webhook id", example = "wh_01jdx8k2m3n4p5q6r7s8t9v0w1") @PathParam("id")
                    String id,
            @Valid DeliveryApi.Recover request) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with since (and optionally until) is required");
        }
        return Response.accepted(deliveries.recover(tenant.id(), id, request)).build();
    }

    @POST
    @Path("/{id}/test")
    @Operation(
            operationId = "testWebhook",
            summary = "Send a signed webhook.test event now",
            description = "Sends synchronously, bypassing the queue (same signing and sender), logs the attempt, "
                    + "and returns what the endpoint answered. Works on a disabled webhook too. A tenant may have "
                    + "`hookline.test-send.max-concurrent-per-tenant` (default 4) test sends in progress at once, a "
                    + "server `hookline.test-send.max-concurrent` (default 64); beyond that the answer is 429.")
    @APIResponse(
            responseCode = "200",
            description = "The attempt; success is false when the endpoint failed",
            content = @Content(schema = @Schema(implementation = DeliveryApi.TestResult.class)))
    @APIResponse(
            responseCode = "409",
            description = "The webhook has no signing secret that can be used",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    @APIResponse(
            responseCode = "429",
            description = "Rate limit exceeded, or the tenant or the server already has as "
                    + "many test sends in progress as allowed; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")))
    // Not @Blocking: the method runs on the event loop, a refused send never takes a worker thread, and the admitted
    // one holds a worker thread only for its two database steps, never while the receiver takes its time.
    public Uni<DeliveryApi.TestResult> testWebhook(
            @Parameter(description = "The webhook id", example = "wh_01jdx8k2m3n4p5q6r7s8t9v0w1") @PathParam("id")
                    String id) {
        return deliveries.test(tenant.id(), id);
    }

    @GET
    @Path("/{id}/deliveries")
    @Tag(name = "deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "The delivery log of a webhook, newest first")
    @APIResponse(
            responseCode = "200",
            description = "One page of deliveries",
            content = @Content(schema = @Schema(implementation = DeliveryApi.DeliveryPage.class)))
    public Page<DeliveryApi.View> listWebhookDeliveries(
            @Parameter(description = "The webhook id", example = "wh_01jdx8k2m3n4p5q6r7s8t9v0w1") @PathParam("id")
                    String id,
            @Parameter(
                            description = "Only deliveries in this status",
                            example = "failed",
                            schema = @Schema(implementation = DeliveryStatus.class))
                    @QueryParam("status")
                    String status,
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
                            description = "The `next` cursor of the previous page",
                            example = "dlv_01jdx8k2m3n4p5q6r7s8t9v0w1",
                            schema = @Schema(type = SchemaType.STRING, maxLength = Page.MAX_CURSOR))
                    @QueryParam("after")
                    String after) {
        return deliveries.forWebhook(tenant.id(), id, status, Page.limit(limit), Page.after(after));
    }

    @Schema(name = "WebhookPage")
    @RegisterForReflection
    public record WebhookPage(
            @Schema(required = true) List<WebhookApi.View> data,

            @Schema(
                    description = "Pass as `after` for the next page; absent on the last page",
                    example = "wh_01jdx8k2m3n4p5q6r7s8t9v0w1")
            String next) {}
}
