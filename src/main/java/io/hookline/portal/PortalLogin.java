package io.hookline.portal;

import io.hookline.auth.Tenant;
import io.hookline.config.PortalConfig;
import io.hookline.contract.ProblemException;
import io.hookline.service.PortalSessions;
import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;

/** The way into the portal (a one-time link), the way out, and the theme stylesheet. */
@Path("/portal")
@PortalPage
public class PortalLogin {
    static final String LOGIN = "/portal/login/";
    static final String THEME = "/portal/theme.css";
    static final String OIDC = "/portal/oidc/";

    @Inject
    PortalSessions sessions;

    @Inject
    PortalBranding branding;

    @Inject
    PortalConfig config;

    @Inject
    Tenant tenant;

    /**
     * Opens a portal link: the link is used up, a session starts, and the browser goes on to the endpoint list (so the
     * token leaves the address bar and the history). A link used before, expired or unknown gets a 403 page.
     */
    @GET
    @Path("/login/{token}")
    public Response open(@PathParam("token") String token) {
        Optional<PortalSessions.Session> session = sessions.open(token);
        if (session.isEmpty()) {
            return PortalGuard.page(
                    403,
                    Pages.message(
                                    branding.anonymous(),
                                    "This link cannot be used",
                                    "A portal link works once, for a few minutes. This one has been used already or has "
                                            + "expired. Open the portal again from the application that sent you here.")
                            .render());
        }
        return Response.seeOther(URI.create("/portal"))
                .header(
                        HttpHeaders.SET_COOKIE,
                        branding.sessionCookie(
                                session.get().id(), config.sessionLifetime().toSeconds()))
                .build();
    }

    /**
     * Signing in at the platform's OIDC provider: when the "portal-web" OIDC tenant is on, quarkus-oidc has run the
     * authorization-code flow before this runs (the {@code portal-oidc} HTTP permission), and the access token names
     * the tenant in the same claim as the API's tokens, with the same rules ({@link Tenant}). A portal session starts
     * exactly as from a link.
     */
    @GET
    @Path("/oidc/login")
    public Response signIn() {
        if (!branding.signInEnabled()) {
            return PortalGuard.page(
                    404,
                    Pages.message(
                                    branding.anonymous(),
                                    "Signing in is not available",
                                    "This portal is opened through the application that sent you here.")
                            .render());
        }
        String id;
        try {
            id = tenant.id();
        } catch (ProblemException e) {
            return PortalGuard.page(
                    403,
                    Pages.message(
                                    branding.anonymous(),
                                    "No account to show",
                                    "You are signed in, but your sign-in does not name an account this portal can show"
                                            + " (" + e.getMessage() + ").")
                            .render());
        }
        PortalSessions.Session session = sessions.start(id);
        return Response.seeOther(URI.create("/portal"))
                .header(
                        HttpHeaders.SET_COOKIE,
                        branding.sessionCookie(
                                session.id(), config.sessionLifetime().toSeconds()))
                .build();
    }

    /** Ends the session (PortalGuard checked it and its CSRF token) and forgets the cookie. */
    @POST
    @Path("/logout")
    public Response logout(@CookieParam(PortalBranding.COOKIE) String sessionId) {
        sessions.close(sessionId);
        return Response.ok(Pages.message(
                                branding.anonymous(),
                                "Signed out",
                                "Your portal session has ended. Open the portal again from the application that sent "
                                        + "you here.")
                        .render())
                .type(Pages.HTML)
                .header(HttpHeaders.SET_COOKIE, branding.clearedCookie())
                .header(HttpHeaders.SET_COOKIE, branding.clearedOidcCookie())
                .build();
    }

    /** The accent colour, as a stylesheet (see {@link PortalBranding#themeCss()}). */
    @GET
    @Path("/theme.css")
    public Response theme() {
        return Response.ok(branding.themeCss()).type("text/css;charset=UTF-8").build();
    }
}
