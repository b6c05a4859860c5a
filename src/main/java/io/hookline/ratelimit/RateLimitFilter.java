package io.hookline.ratelimit;

import io.hookline.auth.Tenant;
import io.hookline.contract.ProblemException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * The per-tenant rate limit of the /v1 API ({@code hookline.rate-limit.*}), per replica. A request takes one token;
 * a batch publish takes one per event, the rest after its body is read ({@link RateLimiter#takeRestOfBatch}), and
 * answers with the headers of that later take.
 * <p>
 * Quarkus REST checks {@code @Authenticated} (and, with {@code quarkus.http.auth.proactive=false}, authenticates the
 * token) before it runs request filters, so a request without a valid token has had its 401 before this filter and
 * takes nothing from any bucket. A token without the tenant claim is let through too: the resource answers 403.
 * Every counted request's answer, errors included, carries {@code X-RateLimit-Limit} (the burst),
 * {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset} (seconds until the bucket is full again); a request over
 * the limit gets a 429 problem with {@code Retry-After} (seconds until the next token, at least 1).
 */
public class RateLimitFilter {
    private static final String TAKE = RateLimitFilter.class.getName() + ".take";

    // Quarkus REST creates its filter instances during static initialisation, before runtime configuration exists,
    // so the filter holds no configuration itself: both beans are client proxies, resolved at the first request.
    @Inject
    RateLimiter limiter;

    @Inject
    Tenant tenant;

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 1)
    public void limit(ContainerRequestContext request) {
        if (!limiter.enabled() || !request.getUriInfo().getPath().startsWith("/v1/")) {
            return;
        }
        String id;
        try {
            id = tenant.id();
        } catch (ProblemException noTenant) {
            return;
        }
        TenantBuckets.Take take = limiter.take(id);
        request.setProperty(TAKE, take);
        if (!take.allowed()) {
            throw ProblemException.tooManyRequests(
                    "rate limit of " + take.limit() + " requests exceeded; retry in " + take.retryAfterSeconds() + " s",
                    take.retryAfterSeconds());
        }
    }

    @ServerResponseFilter
    public void headers(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(TAKE) instanceof TenantBuckets.Take take) {
            MultivaluedMap<String, Object> headers = response.getHeaders();
            if (headers.containsKey("X-RateLimit-Remaining")) {
                return; // a batch publish took more tokens after this filter, and answered with the later figures
            }
            headers.putSingle("X-RateLimit-Limit", Long.toString(take.limit()));
            headers.putSingle("X-RateLimit-Remaining", Long.toString(take.remaining()));
            headers.putSingle("X-RateLimit-Reset", Long.toString(take.resetSeconds()));
        }
    }
}
