package io.hookline.portal;

import io.hookline.config.PortalConfig;
import io.hookline.config.PortalConfigCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The configured name, logo and colour, and the security headers of every portal answer. */
@ApplicationScoped
public class PortalBranding {
    static final String COOKIE = "hookline_portal";
    static final String COOKIE_PATH = "/portal";

    /** Where the portal's OIDC sign-in starts (the "portal-web" OIDC tenant's path). */
    static final String SIGN_IN = "/portal/oidc/login";

    @Inject
    PortalConfig config;

    /** Whether the "portal-web" OIDC tenant (sign-in at the platform's provider) is switched on. */
    @ConfigProperty(name = "quarkus.oidc.portal-web.tenant-enabled", defaultValue = "false")
    boolean signIn;

    Frame frame(PortalSession session) {
        return session.active()
                ? new Frame(
                        config.productName(), config.logoUrl().orElse(null), session.tenant(), session.csrf(), false)
                : anonymous();
    }

    Frame anonymous() {
        return new Frame(config.productName(), config.logoUrl().orElse(null), null, null, signIn);
    }

    boolean signInEnabled() {
        return signIn;
    }

    /** The accent colour as a CSS custom property: a stylesheet, so no inline style needs 'unsafe-inline'. */
    String themeCss() {
        return ":root { --accent: " + config.accentColor() + "; }\n";
    }

    /**
     * No inline script or style, nothing from elsewhere but the logo; forms post only here; framing only by the
     * configured origins.
     */
    String contentSecurityPolicy() {
        String logo = PortalConfigCheck.logoOrigin(config);
        List<String> ancestors = config.frameAncestors().orElse(List.of());
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'"
                + (logo.isEmpty() ? "" : " " + logo)
                + "; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors "
                + (ancestors.isEmpty() ? "'none'" : String.join(" ", ancestors));
    }

    boolean embeddable() {
        return config.frameAncestors().map(list -> !list.isEmpty()).orElse(false);
    }

    /**
     * The session cookie. Lax by default: sent when the customer follows a link to the portal, never with a request
     * another site's page starts in the background. Embedded in a cross-site iframe the browser would withhold a Lax
     * cookie, so then it is {@code SameSite=None; Secure; Partitioned} (kept per embedding site; Chrome also accepts
     * Secure cookies on http://localhost); CSRF is then stopped by the session's token alone, which every POST must
     * carry anyway.
     */
    String sessionCookie(String value, long maxAgeSeconds) {
        StringBuilder cookie = new StringBuilder(COOKIE)
                .append('=')
                .append(value)
                .append("; Path=")
                .append(COOKIE_PATH)
                .append("; Max-Age=")
                .append(maxAgeSeconds)
                .append("; HttpOnly");
        if (embeddable()) {
            cookie.append("; Secure; SameSite=None; Partitioned");
        } else {
            cookie.append(config.secureCookie() ? "; Secure" : "").append("; SameSite=Lax");
        }
        return cookie.toString();
    }

    String clearedCookie() {
        return sessionCookie("", 0);
    }

    /**
     * Forgets the OIDC tenant's own session cookie too (quarkus-oidc's {@code q_session_portal-web}, kept on
     * /portal/oidc), so signing out of the portal needs the provider again to sign back in; the provider's own
     * session is the provider's.
     */
    String clearedOidcCookie() {
        return "q_session_portal-web=; Path=/portal/oidc; Max-Age=0; HttpOnly"
                + (config.secureCookie() ? "; Secure" : "") + "; SameSite=Lax";
    }
}
