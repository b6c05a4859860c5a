package io.hookline.portal;

import io.hookline.auth.Tenant;
import io.hookline.service.PortalSessions;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * The portal's door (bound to its resources by {@link PortalPage}):
 * <ul>
 * <li>a request needs the cookie of a live session ({@code portal_session}, V11), except opening a link and the theme
 * stylesheet; without one it gets a 401 page saying how to get back in;</li>
 * <li>every request that is not GET or HEAD must carry the session's CSRF token, in the {@code X-CSRF-Token} header
 * (htmx sends it) or the {@code _csrf} form field (plain forms); without it, 403 and nothing is changed;</li>
 * <li>every answer gets the Content-Security-Policy, {@code Cache-Control: no-store} (a page with a secret must not be
 * kept by the browser or a proxy), {@code Referrer-Policy: no-referrer}, {@code X-Content-Type-Options: nosniff}.</li>
 * </ul>
 * Runs on the worker thread of the (blocking) resource method: the session lookup is one indexed SELECT.
 */
public class PortalGuard {
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String CSRF_FIELD = "_csrf";
    private static final Set<String> SAFE = Set.of("GET", "HEAD");

    @Inject
    PortalSessions sessions;

    @Inject
    PortalSession current;

    @Inject
    Tenant tenant;

    @Inject
    PortalBranding branding;

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    @WithFormRead
    @PortalPage
    public Optional<Response> admit(ResteasyReactiveContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith(PortalLogin.LOGIN) || path.equals(PortalLogin.THEME) || path.startsWith(PortalLogin.OIDC)) {
            return Optional.empty();
        }
        Cookie cookie = request.getCookies().get(PortalBranding.COOKIE);
        String sessionId = cookie == null ? null : cookie.getValue();
        Optional<PortalSessions.Holder> holder = sessionId == null ? Optional.empty() : sessions.find(sessionId);
        if (holder.isEmpty()) {
            return Optional.of(page(
                    401,
                    Pages.message(
                                    branding.anonymous(),
                                    "Signed out",
                                    "Your portal session has ended or this browser has none. Open the portal again "
                                            + "from the application that sent you here"
                                            + (branding.signInEnabled() ? ", or sign in with your account." : "."))
                            .render()));
        }
        current.start(sessionId, holder.get().tenant());
        // the services' audit log records the portal session as the actor of whatever this request changes
        tenant.actForPortalSession(holder.get().tenant());
        if (!SAFE.contains(request.getMethod()) && !PortalSessions.sameToken(current.csrf(), csrfToken(request))) {
            return Optional.of(page(
                    403,
                    Pages.message(
                                    branding.frame(current),
                                    "Request refused",
                                    "This form is out of date or did not come from this portal, so nothing was "
                                            + "changed. Reload the page and try again.")
                            .render()));
        }
        return Optional.empty();
    }

    private static String csrfToken(ResteasyReactiveContainerRequestContext request) {
        String header = request.getHeaderString(CSRF_HEADER);
        if (header != null) {
            return header;
        }
        MediaType type = request.getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE) || !request.hasEntity()) {
            return null;
        }
        ResteasyReactiveRequestContext context = (ResteasyReactiveRequestContext) request.getServerRequestContext();
        Object field = context.getFormParameter(CSRF_FIELD, true, false);
        return field instanceof String s ? s : null;
    }

    @ServerResponseFilter
    @PortalPage
    public void secure(ContainerRequestContext request, ContainerResponseContext response) {
        MultivaluedMap<String, Object> headers = response.getHeaders();
        headers.putSingle("Content-Security-Policy", branding.contentSecurityPolicy());
        headers.putSingle("Cache-Control", "no-store");
        headers.putSingle("Referrer-Policy", "no-referrer");
        headers.putSingle("X-Content-Type-Options", "nosniff");
        if (!branding.embeddable()) {
            // for browsers that predate frame-ancestors
            headers.putSingle("X-Frame-Options", "DENY");
        }
    }

    static Response page(int status, String html) {
        return Response.status(status).type(Pages.HTML).entity(html).build();
    }
}
