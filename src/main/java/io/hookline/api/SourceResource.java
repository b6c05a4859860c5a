package io.hookline.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.auth.Tenant;
import io.hookline.config.HooklineConfig;
import io.hookline.contract.Page;
import io.hookline.contract.SourceApi;
import io.hookline.service.SourceService;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Inbound sources of the tenant: where providers' webhooks come in (see {@link IngestResource}). */
@Path("/v1/sources")
@Authenticated
@Tag(name = "sources")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SourceResource {
    static final String ID_EXAMPLE = "src_01jdx8k2m3n4p5q6r7s8t9v0w1a2b3c4d5e6f7g8h9";

    @Inject
    SourceService sources;

    @Inject
    Tenant tenant;

    @Inject
    HooklineConfig config;

    @Context
    UriInfo uri;

    @POST
    @Operation(
            operationId = "createSource",
            summary = "Register an inbound source",
            description = "A provider (Stripe, GitHub, a Standard Webhooks sender, or anything that signs a hex "
                    + "HMAC-SHA256) posts its webhooks to the returned ingestUrl; each verified request becomes an "
                    + "event of this tenant. The secret is stored encrypted and never returned.")
    @APIResponse(
            responseCode = "201",
            description = "Created",
            content = @Content(schema = @Schema(implementation = SourceApi.View.class)))
    public Response createSource(SourceApi.Create request) {
        SourceApi.View created = sources.create(tenant.id(), request, ingestBase());
        return Response.status(201)
                .entity(created)
                .header("Location", "/v1/sources/" + created.id())
                .build();
    }

    @GET
    @Operation(operationId = "listSources", summary = "List the tenant's sources, newest first")
    @APIResponse(
            responseCode = "200",
            description = "One page of sources",
            content = @Content(schema = @Schema(implementation = SourceApi.SourcePage.class)))
    public Page<SourceApi.View> listSources(
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
                            example = ID_EXAMPLE,
                            schema = @Schema(type = SchemaType.STRING, maxLength = Page.MAX_CURSOR))
                    @QueryParam("after")
                    String after) {
        return sources.list(tenant.id(), Page.limit(limit), Page.after(after), ingestBase());
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getSource", summary = "Get one source (never its secret)")
    @APIResponse(
            responseCode = "200",
            description = "The source",
            content = @Content(schema = @Schema(implementation = SourceApi.View.class)))
    public SourceApi.View getSource(
            @Parameter(description = "The source id", example = ID_EXAMPLE) @PathParam("id") String id) {
        return sources.get(tenant.id(), id, ingestBase());
    }

    @PATCH
    @Path("/{id}")
    @Operation(
            operationId = "updateSource",
            summary = "Change secret, description, typeMapping or signatureHeader",
            description = "A new secret applies to the next request at once (Stripe and GitHub sign with one secret "
                    + "at a time).")
    @RequestBody(content = @Content(schema = @Schema(implementation = SourceApi.Update.class)))
    @APIResponse(
            responseCode = "200",
            description = "The changed source",
            content = @Content(schema = @Schema(implementation = SourceApi.View.class)))
    public SourceApi.View updateSource(
            @Parameter(description = "The source id", example = ID_EXAMPLE) @PathParam("id") String id,
            JsonNode patch) {
        return sources.update(tenant.id(), id, patch, ingestBase());
    }

    @DELETE
    @Path("/{id}")
    @Operation(
            operationId = "deleteSource",
            summary = "Delete a source (irreversible)",
            description = "Destroys its secret; its ingestUrl answers 404 from now on. Requests it already accepted "
                    + "still become events.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response deleteSource(
            @Parameter(description = "The source id", example = ID_EXAMPLE) @PathParam("id") String id) {
        sources.delete(tenant.id(), id);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}/requests")
    @Operation(
            operationId = "listSourceRequests",
            summary = "The ingest log of a source, newest first",
            description = "Every verified request: when it came, the provider's event id and type, and the event it "
                    + "became. Refused requests are not stored (see the source's lastRejection). Entries are kept "
                    + "for hookline.ingest.log-retention (30 days).")
    @APIResponse(
            responseCode = "200",
            description = "One page of requests",
            content = @Content(schema = @Schema(implementation = SourceApi.RequestPage.class)))
    public Page<SourceApi.RequestView> listSourceRequests(
            @Parameter(description = "The source id", example = ID_EXAMPLE) @PathParam("id") String id,
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
                            example = "req_01jdx8k2m3n4p5q6r7s8t9v0w1",
                            schema = @Schema(type = SchemaType.STRING, maxLength = Page.MAX_CURSOR))
                    @QueryParam("after")
                    String after) {
        return sources.requests(tenant.id(), id, Page.limit(limit), Page.after(after));
    }

    /** {@code hookline.ingest.public-url}, else the base URL this request came to, followed by {@code ingest/}. */
    private String ingestBase() {
        String base = config.ingest().publicUrl().orElse(uri.getBaseUri().toString());
        return (base.endsWith("/") ? base : base + "/") + "ingest/";
    }
}
