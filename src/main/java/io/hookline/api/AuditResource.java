package io.hookline.api;

import io.hookline.auth.Tenant;
import io.hookline.contract.AuditApi;
import io.hookline.contract.Page;
import io.hookline.service.AuditLog;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The tenant's audit log: every change made for it, by its own tokens, a platform backend or a portal session. */
@Path("/v1/audit")
@Authenticated
@Tag(name = "audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    @Inject
    AuditLog audit;

    @Inject
    Tenant tenant;

    @GET
    @Operation(
            operationId = "listAuditEntries",
            summary = "Who changed what for the tenant, and when; newest first",
            description = "One entry per change: webhooks created, changed, rotated, revoked and tested, deliveries "
                    + "redelivered, portal links issued; with the actor (the token's subject and client, and whether it "
                    + "acted through the platform role). Publishing an event is not an entry: the event itself records "
                    + "it. No entry holds a secret, a URL or a payload.")
    @APIResponse(
            responseCode = "200",
            description = "One page of entries",
            content = @Content(schema = @Schema(implementation = AuditApi.AuditPage.class)))
    public Page<AuditApi.Entry> listAuditEntries(
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
                            example = "aud_01jdx8k2m3n4p5q6r7s8t9v0w1",
                            schema = @Schema(type = SchemaType.STRING, maxLength = Page.MAX_CURSOR))
                    @QueryParam("after")
                    String after) {
        return audit.list(tenant.id(), Page.limit(limit), Page.after(after));
    }
}
