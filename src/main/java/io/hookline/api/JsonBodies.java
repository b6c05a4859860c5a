package io.hookline.api;

import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A /v1 request that carries a body must say it is {@code application/json}; otherwise 415. Quarkus REST compares
 * {@code @Consumes} with the Content-Type only when there is one: a body sent without it was read as JSON anyway
 * (quarkusio/quarkus#48574, open). A request without a body ({@code Content-Length} absent or 0, no
 * {@code Transfer-Encoding}) needs no Content-Type: POST /rotate without options, /test, /redeliver, /v1/admin/*.
 * <p>
 * Runs after authentication and the rate limit (see {@code RateLimitFilter}), so a 415 costs a token like any
 * other answer, and before the body is read.
 */
public class JsonBodies {

    @ServerRequestFilter(priority = Priorities.HEADER_DECORATOR)
    public void requireJson(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/v1/") || !hasBody(request)) {
            return;
        }
        MediaType type = request.getMediaType();
        if (type == null
                || !"application".equalsIgnoreCase(type.getType())
                || !"json".equalsIgnoreCase(type.getSubtype())) {
            throw new NotSupportedException();
        }
    }

    private static boolean hasBody(ContainerRequestContext request) {
        if (request.getHeaderString("Transfer-Encoding") != null) {
            return true;
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return false;
        }
        try {
            return Long.parseLong(length.trim()) > 0;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
