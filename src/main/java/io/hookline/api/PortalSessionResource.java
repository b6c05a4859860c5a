package io.hookline.api;

import io.hookline.auth.Tenant;
import io.hookline.config.PortalConfig;
import io.hookline.contract.PortalApi;
import io.hookline.service.PortalSessions;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Portal links: a platform's backend asks for one and sends its customer's browser to it (io.hookline.portal). */
@Path("/v1/portal/sessions")
@Authenticated
@Tag(name = "portal")
@Produces(MediaType.APPLICATION_JSON)
public class PortalSessionResource {
    /** Where a link is opened; {@code io.hookline.portal.PortalLogin} serves it. */
    static final String LOGIN_PATH = "/portal/login/";

    @Inject
    Tenant tenant;

    @Inject
    PortalSessions sessions;

    @Inject
    PortalConfig config;

    @POST
    @Operation(
            operationId = "createPortalSession",
            summary = "Issue a one-time link into the customer portal",
            description = "For the tenant of the token. The link can be opened once, within "
                    + "hookline.portal.link-lifetime (default 5 minutes), and starts a browser session in the portal "
                    + "for that tenant lasting hookline.portal.session-lifetime (default 1 hour). Issue a new link each "
                    + "time a customer opens the portal; never store one or send it by e-mail.")
    @APIResponse(
            responseCode = "201",
            description = "The link",
            content = @Content(schema = @Schema(implementation = PortalApi.Link.class)))
    public Response createPortalSession(@Context UriInfo uri) {
        String t = tenant.id();
        PortalSessions.Link link = sessions.issueLink(t);
        String base = config.publicUrl().orElseGet(() -> uri.getBaseUri().toString());
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return Response.status(201)
                .entity(new PortalApi.Link(base + LOGIN_PATH + link.token(), link.expiresAt()))
                .header("Cache-Control", "no-store")
                .build();
    }
}
