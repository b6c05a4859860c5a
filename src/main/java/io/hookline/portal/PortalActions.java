package io.hookline.portal;

import io.hookline.contract.DeliveryApi;
import io.hookline.contract.ProblemException;
import io.hookline.contract.WebhookApi;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The portal's forms. PortalGuard has checked the session and its CSRF token; every change goes through
 * {@link PortalMutations}. A change that needs nothing shown but a confirmation answers 303 to the page it concerns
 * (so a reload does not post again); one that shows something once (a secret, a test result) answers with the page,
 * and {@code HX-Push-Url} names the page's own address for the history.
 */
@Path("/portal")
@PortalPage
@Produces(Pages.HTML)
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
public class PortalActions {
    /** The grace periods the rotate form offers, in seconds: none, 1 hour, 24 hours, 7 days. */
    static final List<Long> GRACE_CHOICES = List.of(0L, 3_600L, 86_400L, 604_800L);

    @Inject
    PortalMutations mutations;

    @Inject
    PortalViews views;

    @Inject
    PortalSession session;

    @Inject
    PortalErrors errors;

    @Inject
    Clock clock;

    @POST
    @Path("/endpoints")
    public Response create(
            @FormParam("url") String url,
            @FormParam("description") String description,
            @FormParam("eventTypes") List<String> ticked,
            @FormParam("otherTypes") String typed) {
        List<String> types = EndpointForm.eventTypes(ticked, typed);
        try {
            WebhookApi.WithSecret created =
                    mutations.create(session.tenant(), trim(url), blankToNull(description), types);
            return secretPage(created, false, 0);
        } catch (ProblemException e) {
            if (e.status() != 422) {
                throw e;
            }
            EndpointForm form = views.sentForm(url, description, ticked, typed)
                    .withErrors(e.toProblem().errors(), types, e.getMessage());
            return PortalGuard.page(422, views.newEndpoint(form));
        }
    }

    @POST
    @Path("/endpoints/{id}")
    public Response change(
            @PathParam("id") String id,
            @FormParam("url") String url,
            @FormParam("description") String description,
            @FormParam("eventTypes") List<String> ticked,
            @FormParam("otherTypes") String typed) {
        List<String> types = EndpointForm.eventTypes(ticked, typed);
        try {
            WebhookApi.View changed = mutations.change(session.tenant(), id, trim(url), description, types);
            return backTo(changed.id(), "saved");
        } catch (ProblemException e) {
            if (e.status() != 422) {
                throw e;
            }
            EndpointForm form = views.sentForm(url, description, ticked, typed)
                    .withErrors(e.toProblem().errors(), types, e.getMessage());
            return PortalGuard.page(422, views.endpoint(id, null, null, form, null, null, null));
        }
    }

    @POST
    @Path("/endpoints/{id}/enable")
    public Response enable(@PathParam("id") String id) {
        return backTo(mutations.setEnabled(session.tenant(), id, true).id(), "enabled");
    }

    @POST
    @Path("/endpoints/{id}/disable")
    public Response disable(@PathParam("id") String id) {
        return backTo(mutations.setEnabled(session.tenant(), id, false).id(), "disabled");
    }

    @POST
    @Path("/endpoints/{id}/rotate")
    public Response rotate(@PathParam("id") String id, @FormParam("graceSeconds") String grace) {
        long seconds = GRACE_CHOICES.stream()
                .filter(choice -> choice.toString().equals(grace))
                .findFirst()
                .orElseThrow(() -> ProblemException.invalid("graceSeconds", "must be one of the offered choices"));
        return secretPage(mutations.rotate(session.tenant(), id, seconds), true, seconds);
    }

    @POST
    @Path("/endpoints/{id}/revoke")
    public Response revoke(@PathParam("id") String id) {
        mutations.revoke(session.tenant(), id);
        return Response.seeOther(URI.create("/portal?notice=revoked")).build();
    }

    /**
     * Sends a test now. Asked by htmx (the page stays), the answer is just the result; from a plain form, the whole
     * endpoint page with it. Waiting for the endpoint holds no thread (see DeliveryService.test).
     */
    @POST
    @Path("/endpoints/{id}/test")
    @Blocking
    public Uni<Response> test(@PathParam("id") String id, @HeaderParam("HX-Request") String htmx) {
        Frame frame = views.frame();
        Uni<DeliveryApi.TestResult> sent;
        try {
            sent = mutations.test(frame.tenant(), id);
        } catch (ProblemException e) {
            sent = Uni.createFrom().failure(e);
        }
        return sent.emitOn(Infrastructure.getDefaultWorkerPool())
                .map(result -> TestView.of(result, clock.instant()))
                .onFailure(e -> e instanceof ProblemException p && p.status() != 404)
                .recoverWithItem(e -> TestView.refused(e.getMessage(), clock.instant()))
                .map(test -> "true".equals(htmx)
                        ? Response.ok(Pages.testResult(test).render()).build()
                        : Response.ok(views.endpoint(frame, id, null, null, null, test, null, null))
                                .header("HX-Push-Url", "/portal/endpoints/" + id)
                                .build());
    }

    @POST
    @Path("/deliveries/{id}/redeliver")
    public Response redeliver(@PathParam("id") String id) {
        try {
            DeliveryApi.View copy = mutations.redeliver(session.tenant(), id);
            return backTo(copy.webhookId(), "redelivered");
        } catch (ProblemException e) {
            if (e.status() != 409) {
                throw e;
            }
            return PortalGuard.page(409, views.delivery(id, null, e.getMessage()));
        }
    }

    private Response secretPage(WebhookApi.WithSecret endpoint, boolean rotated, long graceSeconds) {
        return Response.ok(Pages.secret(views.frame(), endpoint, rotated, grace(graceSeconds))
                        .render())
                .header("HX-Push-Url", "/portal/endpoints/" + endpoint.id())
                .build();
    }

    private static Response backTo(String webhookId, String notice) {
        return Response.seeOther(URI.create("/portal/endpoints/" + webhookId + "?notice=" + notice))
                .build();
    }

    static String grace(long seconds) {
        if (seconds == 0) {
            return null;
        }
        return seconds % 86_400 == 0
                ? seconds / 86_400 + (seconds == 86_400 ? " day" : " days")
                : seconds / 3_600 + (seconds == 3_600 ? " hour" : " hours");
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
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
