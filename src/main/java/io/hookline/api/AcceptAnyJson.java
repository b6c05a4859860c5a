package io.hookline.api;

import io.hookline.contract.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The API answers JSON, and problems as {@code application/problem+json}, whatever the request's {@code Accept} says.
 * <p>
 * Generated clients send the media types the document lists for an operation: for one whose success has no body (a
 * 204) that is only {@code application/problem+json}, and matching it against {@code @Produces(application/json)}
 * answered 406 to every such call. RFC 9110 (section 12.5.1) lets a server disregard {@code Accept} rather than refuse;
 * an API with one representation per answer has nothing to negotiate, so it never answers 406.
 */
public class AcceptAnyJson {
    static final String ACCEPTED = "application/json, " + Problem.MEDIA_TYPE;

    @ServerRequestFilter(preMatching = true)
    public void accept(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        // /ingest/: providers send what they send (Stripe: "*/*; q=0.5, application/xml"); they get JSON
        if (path.startsWith("/v1/") || path.startsWith("/ingest/")) {
            request.getHeaders().putSingle(HttpHeaders.ACCEPT, ACCEPTED);
        }
    }
}
