package io.hookline.portal;

import io.hookline.contract.ProblemException;
import io.hookline.service.PortalSessions;
import jakarta.enterprise.context.RequestScoped;

/** The portal session of the current request, set by {@link PortalGuard} once the cookie named a live session. */
@RequestScoped
public class PortalSession {
    private String tenant;
    private String csrf;

    void start(String sessionId, String tenant) {
        this.tenant = tenant;
        this.csrf = PortalSessions.csrfToken(sessionId);
    }

    boolean active() {
        return tenant != null;
    }

    /** The session's tenant: the only tenant whose objects this request may read or change. */
    public String tenant() {
        if (tenant == null) {
            // PortalGuard answered already; reaching this is a bug, and must not act for anyone
            throw ProblemException.forbidden("no portal session");
        }
        return tenant;
    }

    /** The token every POST of this session must carry (form field {@code _csrf} or header {@code X-CSRF-Token}). */
    public String csrf() {
        return csrf;
    }
}
