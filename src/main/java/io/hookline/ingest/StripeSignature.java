package io.hookline.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stripe's scheme (docs.stripe.com/webhooks, "Verify signatures manually"): {@code Stripe-Signature:
 * t=<unix seconds>,v1=<hex>[,v1=<hex>…]}, where each {@code v1} is the hex HMAC-SHA256 of {@code "{t}.{raw body}"}
 * keyed with the whole endpoint secret ({@code whsec_…}) as UTF-8. Any {@code v1} may match (Stripe sends one per
 * secret while a secret is being rolled); other schemes ({@code v0}, the test-mode scheme) are ignored; the timestamp
 * must be within the tolerance of now, in either direction. Stateless and threadsafe.
 */
public final class StripeSignature {
    public static final String HEADER = "Stripe-Signature";
    /** Signatures looked at in one header: Stripe sends one or two; more is not Stripe. */
    static final int MAX_SIGNATURES = 8;

    private StripeSignature() {}

    /** Returns normally when the header signs {@code body} under {@code secret}; throws {@link Rejected} otherwise. */
    public static void verify(
            ProviderSecret secret, String header, byte[] body, long nowSeconds, long toleranceSeconds) {
        if (header == null || header.isBlank()) {
            throw new Rejected(Reason.MISSING_SIGNATURE, "no " + HEADER + " header");
        }
        Long timestamp = null;
        List<String> signatures = new ArrayList<>();
        for (String item : header.split(",")) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = item.substring(0, eq).trim();
            String value = item.substring(eq + 1).trim();
            if (key.equals("t") && timestamp == null) {
                timestamp = seconds(value);
            } else if (key.equals("v1") && signatures.size() < MAX_SIGNATURES) {
                signatures.add(value);
            }
        }
        if (timestamp == null) {
            throw new Rejected(Reason.MISSING_SIGNATURE, HEADER + " has no timestamp (t=<unix seconds>)");
        }
        if (signatures.isEmpty()) {
            throw new Rejected(
                    Reason.MISSING_SIGNATURE, HEADER + " has no v1 signature (other schemes such as v0 are ignored)");
        }
        byte[] expected = Hmac.sha256(secret.utf8(), (timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        boolean match = false;
        for (String candidate : signatures) {
            // no early exit: every candidate costs the same, whichever matches
            match |= Hmac.hexMatches(expected, candidate);
        }
        if (!match) {
            throw new Rejected(Reason.BAD_SIGNATURE, "no v1 signature in " + HEADER + " matches the body");
        }
        Timestamps.check(timestamp, nowSeconds, toleranceSeconds);
    }

    private static Long seconds(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
