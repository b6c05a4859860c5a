package io.hookline.auth;

import io.hookline.config.HooklineConfig;
import io.hookline.contract.ProblemException;
import io.hookline.contract.TenantName;
import io.hookline.service.Actor;
import io.hookline.service.CurrentActor;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The tenant of the current request, and who is acting for it.
 * <ul>
 * <li>A token with the platform role ({@code hookline.platform-role}, read like the admin role: {@code groups}, or
 * Keycloak realm and client roles) acts for the tenant named in the {@value #HEADER} header. Without the header, a
 * request that needs a tenant is a 400 that says to name one (even if the token also has a tenant claim: with the
 * role, the header decides).</li>
 * <li>Any other token acts for the tenant in its claim ({@code hookline.tenant-claim}). It may send the header only
 * naming that same tenant; another tenant, or the header on a token with no tenant claim, is a 403.</li>
 * <li>A header value that breaks the {@link TenantName} rule, or is sent twice, is a 400; a claim that breaks it is a
 * 403 (the token, not the request, is at fault).</li>
 * </ul>
 * Nothing is decided before a resource asks: operations that need no tenant (the admin ones) ignore the header.
 */
@RequestScoped
public class Tenant implements CurrentActor {
    /** The request header naming the tenant a platform token acts for. */
    public static final String HEADER = "Hookline-Tenant";

    @Inject
    JsonWebToken token;

    @Inject
    SecurityIdentity identity;

    @Inject
    CurrentVertxRequest request;

    @Inject
    HooklineConfig config;

    private String id;
    private Actor actor;

    /** The tenant the request acts for. */
    public String id() {
        if (id == null) {
            resolve();
        }
        return id;
    }

    /**
     * Who is acting: through the platform role or as the tenant itself, with the token's subject and client; Hookline
     * itself ({@link Actor#SYSTEM}) when no HTTP request is being served (a request context of a job or a test).
     */
    @Override
    public Actor actor() {
        if (actor == null) {
            if (request.getCurrent() == null) {
                return Actor.SYSTEM;
            }
            resolve();
        }
        return actor;
    }

    /**
     * The request comes from a customer portal session of {@code tenant} (the portal's guard checked the session
     * cookie): it acts for that tenant only, and the audit log names the portal as the actor.
     */
    public void actForPortalSession(String tenant) {
        this.id = tenant;
        this.actor = new Actor(Actor.Via.PORTAL, null, null);
    }

    /** True when the request acts for its tenant through the platform role. */
    public boolean platform() {
        return actor().via() == Actor.Via.PLATFORM;
    }

    private void resolve() {
        String named = header();
        boolean platform = identity.hasRole(config.platformRole());
        String tenant;
        if (platform) {
            if (named == null) {
                throw ProblemException.badRequest("this token acts for tenants through the platform role: name the "
                        + "tenant in the " + HEADER + " header");
            }
            tenant = named;
        } else {
            tenant = claim(named != null);
            if (named != null && !named.equals(tenant)) {
                throw ProblemException.forbidden("this token acts only for its own tenant; " + HEADER
                        + " may name no other (acting for any tenant needs the platform role)");
            }
        }
        actor = new Actor(platform ? Actor.Via.PLATFORM : Actor.Via.TENANT, token.getSubject(), client());
        id = tenant;
    }

    /** The header's value, checked; null when it is absent. */
    private String header() {
        RoutingContext current = request.getCurrent();
        List<String> values =
                current == null ? List.of() : current.request().headers().getAll(HEADER);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ProblemException.badRequest(HEADER + " must be sent once");
        }
        String value = values.get(0);
        if (!TenantName.valid(value)) {
            throw ProblemException.badRequest(HEADER + " " + TenantName.RULE);
        }
        return value;
    }

    /** The tenant claim, checked. {@code headerSent}: the caller named a tenant, so say what it may not do. */
    private String claim(boolean headerSent) {
        String claim = config.tenantClaim();
        Object value = token.getClaim(claim);
        String tenant = value instanceof JsonString json
                ? json.getString().trim()
                : value == null ? null : value.toString().trim();
        if (tenant == null || tenant.isEmpty()) {
            throw ProblemException.forbidden(
                    headerSent
                            ? HEADER + " needs the platform role (" + config.platformRole() + ")"
                            : "the access token has no '" + claim + "' claim naming the tenant");
        }
        if (!TenantName.valid(tenant)) {
            throw ProblemException.forbidden("the '" + claim + "' claim " + TenantName.RULE);
        }
        return tenant;
    }

    /** The client the token was issued to: {@code azp} (OIDC), else {@code client_id} (RFC 9068). */
    private String client() {
        for (String name : List.of("azp", "client_id")) {
            Object value = token.getClaim(name);
            if (value instanceof JsonString json) {
                return json.getString();
            }
            if (value instanceof String s) {
                return s;
            }
        }
        return null;
    }
}
