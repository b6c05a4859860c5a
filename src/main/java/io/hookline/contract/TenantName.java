package io.hookline.contract;

import java.util.regex.Pattern;

/**
 * The one rule for a tenant value, wherever it comes from (the token's tenant claim, the {@code Hookline-Tenant}
 * header, a portal link): 1 to 255 characters of ASCII letters, digits and {@code . _ - : @ | +}.
 * <p>
 * Why these: the value travels in an HTTP header, a log line, a metric label and a portal URL, so it is plain ASCII
 * with no space, quote, slash, comma or control character; and it still holds what identity providers put in the
 * claims people use as the tenant: slugs ({@code acme-billing}), UUIDs (Keycloak's {@code sub}), e-mail addresses,
 * Auth0 subjects ({@code auth0|5f7c…}, {@code client@clients}) and URNs ({@code urn:acme:eu}). The length is the limit
 * the claim always had. This class is threadsafe.
 */
public final class TenantName {
    /** Longest tenant value. */
    public static final int MAX_LENGTH = 255;
    /** The rule as a JSON Schema / OpenAPI pattern. */
    public static final String PATTERN = "^[A-Za-z0-9._:@|+-]{1," + MAX_LENGTH + "}$";
    /** The rule in words, for problem details. */
    public static final String RULE =
            "must be 1 to " + MAX_LENGTH + " characters of ASCII letters, digits and . _ - : @ | +";

    private static final Pattern VALID = Pattern.compile(PATTERN);

    private TenantName() {}

    public static boolean valid(String tenant) {
        return tenant != null && VALID.matcher(tenant).matches();
    }
}
