package io.hookline.portal;

import io.hookline.contract.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The portal's pages (GET only; PortalGuard has checked the session). */
@Path("/portal")
@PortalPage
@Produces(Pages.HTML)
public class PortalPages {
    @Inject
    PortalViews views;

    @Inject
    PortalErrors errors;

    @GET
    public String home(@QueryParam("after") String after, @QueryParam("notice") String notice) {
        return views.endpoints(after, notice);
    }

    @GET
    @Path("/endpoints")
    public String endpoints(@QueryParam("after") String after, @QueryParam("notice") String notice) {
        return views.endpoints(after, notice);
    }

    @GET
    @Path("/endpoints/new")
    public String newEndpoint() {
        return views.newEndpoint(views.emptyForm());
    }

    @GET
    @Path("/endpoints/{id}")
    public String endpoint(
            @PathParam("id") String id,
            @QueryParam("status") String status,
            @QueryParam("after") String after,
            @QueryParam("notice") String notice) {
        return views.endpoint(id, status == null || status.isEmpty() ? null : status, after, null, null, notice, null);
    }

    @GET
    @Path("/deliveries/{id}")
    public String delivery(@PathParam("id") String id, @QueryParam("notice") String notice) {
        return views.delivery(id, notice, null);
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return errors.problem(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        return errors.web(e);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        return errors.unexpected(e);
    }
}
