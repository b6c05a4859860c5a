package io.hookline.testsupport;

import io.smallrye.jwt.build.Jwt;
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
                .groups(java.util.Set.of(groups))
                .issuer("https://server.example.com")
                .sign();
    }

    public static String withoutTenant() {
        return Jwt.subject("backend-service")
                .issuer("https://server.example.com")
                .sign();
    }

    /** A tenant no other test uses, so tests sharing one database do not see each other's rows. */
    public static String newTenant() {
        return "tenant-" + UUID.randomUUID();
    }
}
