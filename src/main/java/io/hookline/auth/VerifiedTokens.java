package io.hookline.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.hookline.config.HooklineConfig;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.runtime.OidcTenantConfig;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer access tokens that quarkus-oidc has verified, remembered so that a client sending the same token with every
 * request is not verified again each time ({@code hookline.token-cache.*}). quarkus-oidc's verification (parsing the
 * claims three times, the RS256 check) was a quarter of the API threads' CPU in the publish benchmark.
 * <p>
 * Two halves: {@link RememberVerifiedTokens} stores the identity quarkus-oidc has just built, before any other
 * augmentor sees it; this provider, ahead of quarkus-oidc's ({@link #priority()}), answers a request whose whole token
 * string is stored and not yet expired with a copy of that identity, and otherwise returns nothing, so quarkus-oidc
 * verifies the token as it always does. Hence:
 * <ul>
 * <li>A token that failed verification (bad signature, wrong issuer, expired, …) is never stored, and a token
 * differing from a stored one in any character (another signature) is another key.</li>
 * <li>An entry is used only before the token's {@code exp} (and {@code iat + quarkus.oidc.token.age} when set), at
 * most {@code max-age} after it was stored; after that the token goes through quarkus-oidc again.</li>
 * <li>Claims, roles, permissions and the tenant are those quarkus-oidc gave the token; the augmentors run on the copy
 * as on a fresh identity.</li>
 * <li>Only tokens quarkus-oidc verified on its own: never one it introspected or checked with the userinfo endpoint
 * (the provider may revoke those at any time), nor one bound to a client certificate or a DPoP proof (the binding
 * belongs to each request), nor a web-app tenant's.</li>
 * </ul>
 * This class is thread-safe.
 */
@ApplicationScoped
public class VerifiedTokens implements IdentityProvider<TokenAuthenticationRequest> {
    /** Marks an identity served from here, so that it is not stored again. */
    static final String SERVED = VerifiedTokens.class.getName();

    // attributes quarkus-oidc sets per request (OidcUtils): not stored, set anew on each copy
    private static final String ROUTING_CONTEXT = RoutingContext.class.getName();
    private static final String REQUEST_CONTEXT = AuthenticationRequestContext.class.getName();
    // attributes of tokens quarkus-oidc checked with the provider (OidcUtils): never stored
    private static final String INTROSPECTION = "introspection";
    private static final String USER_INFO = "userinfo";
    private static final String TENANT_ID = "tenant-id";
    private static final String DEFAULT_TENANT = "Default";
    // where quarkus-oidc's mechanism puts the tenant it resolved (the name of its class
    // io.quarkus.oidc.OidcTenantConfig)
    private static final String RESOLVED_TENANT = "io.quarkus.oidc.OidcTenantConfig";

    private record Entry(SecurityIdentity identity, Instant expires) {}

    private final Clock clock;
    private final Duration maxAge;
    private final Cache<String, Entry> entries;
    private final LongAdder served = new LongAdder();

    @Inject
    VerifiedTokens(HooklineConfig config, Clock clock) {
        this.clock = clock;
        this.maxAge = config.tokenCache().maxAge();
        int size = config.tokenCache().size();
        this.entries = size == 0
                ? null
                : Caffeine.newBuilder()
                        .maximumSize(size)
                        .expireAfter(new UntilExpires())
                        .build();
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /** Ahead of quarkus-oidc's provider, which has the default priority (1001 in Quarkus 3.33). */
    @Override
    public int priority() {
        return IdentityProvider.super.priority() + 1;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        if (entries == null || !(request.getToken() instanceof AccessTokenCredential)) {
            return Uni.createFrom().nullItem();
        }
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        String key = key(http, request.getToken().getToken());
        Entry entry = key == null ? null : entries.getIfPresent(key);
        if (entry == null) {
            return Uni.createFrom().nullItem();
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.invalidate(key);
            return Uni.createFrom().nullItem();
        }
        Map<String, Object> attributes = new HashMap<>(entry.identity().getAttributes());
        attributes.put(ROUTING_CONTEXT, http);
        attributes.put(REQUEST_CONTEXT, context);
        attributes.put(SERVED, Boolean.TRUE);
        served.increment();
        return Uni.createFrom().item(copy(entry.identity(), attributes));
    }

    /** Stores an identity quarkus-oidc has just built for a bearer token, when it may be used again (see above). */
    void remember(SecurityIdentity identity, Map<String, Object> requestAttributes) {
        if (entries == null || identity.isAnonymous() || identity.getAttribute(SERVED) != null) {
            return;
        }
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        if (credential == null
                || credential.isOpaque()
                || !(identity.getPrincipal() instanceof JsonWebToken jwt)
                || !credential.getToken().equals(jwt.getRawToken())
                || identity.getAttribute(INTROSPECTION) != null
                || identity.getAttribute(USER_INFO) != null) {
            return;
        }
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(requestAttributes);
        OidcTenantConfig tenant = tenantConfig(http);
        String key = key(http, credential.getToken());
        if (key == null || !tenantId(tenant).equals(identity.getAttribute(TENANT_ID))) {
            return;
        }
        Instant now = clock.instant();
        Instant expires = expires(jwt, tenant, now);
        if (expires == null || !now.isBefore(expires)) {
            return;
        }
        Map<String, Object> attributes = new HashMap<>(identity.getAttributes());
        attributes.remove(ROUTING_CONTEXT);
        attributes.remove(REQUEST_CONTEXT);
        entries.put(key, new Entry(copy(identity, attributes), expires));
    }

    /** Requests answered from memory since the start (for tests). */
    long served() {
        return served.sum();
    }

    /** Tokens stored now (for tests). */
    long size() {
        if (entries == null) {
            return 0;
        }
        entries.cleanUp();
        return entries.estimatedSize();
    }

    /**
     * The earliest of the token's {@code exp}, {@code iat} plus the tenant's {@code token.age} and {@link #maxAge}
     * from now; null when the token has no {@code exp} (or no {@code iat} while an age is required).
     */
    private Instant expires(JsonWebToken jwt, OidcTenantConfig tenant, Instant now) {
        if (jwt.getExpirationTime() <= 0) {
            return null;
        }
        Instant expires = Instant.ofEpochSecond(jwt.getExpirationTime());
        Optional<Duration> age = tenant.token().age();
        if (age.isPresent()) {
            if (jwt.getIssuedAtTime() <= 0) {
                return null;
            }
            expires = min(expires, Instant.ofEpochSecond(jwt.getIssuedAtTime()).plus(age.get()));
        }
        return min(expires, now.plus(maxAge));
    }

    /** The key of a token for the request's tenant; null when this tenant's tokens are not stored. */
    private static String key(RoutingContext http, String token) {
        OidcTenantConfig tenant = tenantConfig(http);
        if (tenant == null || !storable(tenant)) {
            return null;
        }
        return tenantId(tenant) + ' ' + token;
    }

    /** The OIDC tenant quarkus-oidc's authentication mechanism resolved for the request, before any provider ran. */
    private static OidcTenantConfig tenantConfig(RoutingContext http) {
        return http == null ? null : http.get(RESOLVED_TENANT);
    }

    private static String tenantId(OidcTenantConfig tenant) {
        return tenant.tenantId().orElse(DEFAULT_TENANT);
    }

    private static boolean storable(OidcTenantConfig tenant) {
        OidcTenantConfig.Token token = tenant.token();
        return tenant.applicationType().orElse(OidcTenantConfig.ApplicationType.SERVICE)
                        != OidcTenantConfig.ApplicationType.WEB_APP
                && "Bearer".equalsIgnoreCase(token.authorizationScheme())
                && !token.binding().certificate()
                && !token.requireJwtIntrospectionOnly()
                && !token.verifyAccessTokenWithUserInfo().orElse(false)
                && !tenant.authentication().userInfoRequired().orElse(false);
    }

    /** The identity with other attributes: the same principal, roles, credentials and permissions. */
    private static SecurityIdentity copy(SecurityIdentity identity, Map<String, Object> attributes) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addRoles(identity.getRoles())
                .addCredentials(identity.getCredentials())
                .addPermissions(identity.getPermissions())
                .addAttributes(attributes)
                .build();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Caffeine drops an entry at its expiry (the lookup also checks it, with the service's clock). */
    private final class UntilExpires implements Expiry<String, Entry> {
        @Override
        public long expireAfterCreate(String key, Entry entry, long currentTime) {
            return Math.max(
                    0, Duration.between(clock.instant(), entry.expires()).toNanos());
        }

        @Override
        public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
            return expireAfterCreate(key, entry, currentTime);
        }

        @Override
        public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
