package io.hookline.testsupport;

import io.smallrye.jwt.build.Jwt;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Access tokens signed with the key of the in-process OIDC server (OidcWiremockTestResource). */
public final class Tokens {
    private Tokens() {}

    public static String forTenant(String tenant) {
        return Jwt.subject("backend-service")
                .claim("tenant", tenant)
                .issuer("https://server.example.com")
                .sign();
    }

    /** A token carrying the given groups (where quarkus-oidc reads roles from by default). */
    public static String withGroups(String tenant, String... groups) {
        return Jwt.subject("operator")
                .claim("tenant", tenant)
                .groups(Set.of(groups))
                .issuer("https://server.example.com")
                .sign();
    }

    public static String withoutTenant() {
        return Jwt.subject("backend-service")
                .issuer("https://server.example.com")
                .sign();
    }

    /** The default platform role ({@code hookline.platform-role}). */
    public static final String PLATFORM_ROLE = "hookline-platform";

    /**
     * A platform backend's client-credentials token as Keycloak issues it with a groups mapper: no tenant claim, the
     * platform role in {@code groups}, the service account's subject and the client in {@code azp}.
     */
    public static String platform(String client) {
        return Jwt.subject("service-account-" + client)
                .claim("azp", client)
                .groups(Set.of(PLATFORM_ROLE))
                .issuer("https://server.example.com")
                .sign();
    }

    /** A platform token with the role as a Keycloak realm role ({@code realm_access.roles}) and no groups claim. */
    public static String platformByRealmRole(String client) {
        return Jwt.subject("service-account-" + client)
                .claim("azp", client)
                .claim("realm_access", Map.of("roles", List.of("offline_access", PLATFORM_ROLE)))
                .issuer("https://server.example.com")
                .sign();
    }

    /**
     * A platform token with the role as a client role of {@code roleClient} ({@code resource_access.<client>.roles}),
     * which counts when {@code quarkus.oidc.client-id} is that client.
     */
    public static String platformByClientRole(String client, String roleClient) {
        return Jwt.subject("service-account-" + client)
                .claim("azp", client)
                .claim("resource_access", Map.of(roleClient, Map.of("roles", List.of(PLATFORM_ROLE))))
                .issuer("https://server.example.com")
                .sign();
    }

    /** A tenant's token that also carries the platform role (in groups). */
    public static String tenantWithPlatformRole(String tenant) {
        return withGroups(tenant, PLATFORM_ROLE);
    }

    /** A tenant no other test uses, so tests sharing one database do not see each other's rows. */
    public static String newTenant() {
        return "tenant-" + UUID.randomUUID();
    }
}
