package io.hookline.ingest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * Verifies an inbound request by its provider's rules, then reads the provider's event id and type from it. The
 * signature is checked first, on the raw bytes, before the body is parsed at all: an unsigned request costs one HMAC.
 * Stateless and threadsafe.
 */
public final class Verification {
    /** Type of a plain-scheme request whose body has no top-level string {@code type}. */
    public static final String DEFAULT_TYPE = "received";

    private Verification() {}

    /**
     * @param signatureHeader the header that carries the signature of the {@code hmac-sha256} scheme (unused otherwise)
     * @throws Rejected when the request is not signed by {@code secret}, is outside the time window, or has nothing
     *     that can identify the event
     */
    public static Received verify(
            Provider provider,
            ProviderSecret secret,
            String signatureHeader,
            Headers headers,
            byte[] body,
            long nowSeconds,
            long toleranceSeconds) {
        Received received;
        switch (provider) {
            case STRIPE -> {
                StripeSignature.verify(secret, headers.get(StripeSignature.HEADER), body, nowSeconds, toleranceSeconds);
                Map<String, String> top = JsonBody.strings(body, Set.of("id", "type"));
                received = new Received(
                        id(top.get("id"), "the body has no string id (evt_…)"),
                        type(top.get("type"), "the body has no string type"));
            }
            case GITHUB -> {
                GithubSignature.verify(secret, headers.get(GithubSignature.HEADER), body);
                JsonBody.strings(body, Set.of());
                received = new Received(
                        id(
                                headers.get(GithubSignature.DELIVERY),
                                "no " + GithubSignature.DELIVERY + " header (the id that de-duplicates retries)"),
                        type(headers.get(GithubSignature.EVENT), "no " + GithubSignature.EVENT + " header"));
            }
            case STANDARD_WEBHOOKS -> {
                String id = headers.get(StandardWebhooksSignature.ID);
                StandardWebhooksSignature.verify(
                        secret,
                        id,
                        headers.get(StandardWebhooksSignature.TIMESTAMP),
                        headers.get(StandardWebhooksSignature.SIGNATURE),
                        body,
                        nowSeconds,
                        toleranceSeconds);
                Map<String, String> top = JsonBody.strings(body, Set.of("type"));
                received = new Received(
                        id(id, "no " + StandardWebhooksSignature.ID + " header"),
                        type(top.get("type"), "the body has no string type"));
            }
            case HMAC_SHA256 -> {
                HmacSignature.verify(secret, signatureHeader, headers.get(signatureHeader), body);
                String type = JsonBody.strings(body, Set.of("type")).get("type");
                received = new Received(sha256(body), type == null || type.isBlank() ? DEFAULT_TYPE : type(type, ""));
            }
            default -> throw new IllegalStateException("unknown provider " + provider);
        }
        return received;
    }

    private static String id(String value, String missing) {
        return bounded(value, missing, Received.MAX_ID, "the provider's event id");
    }

    private static String type(String value, String missing) {
        return bounded(value, missing, Received.MAX_TYPE, "the provider's event type");
    }

    private static String bounded(String value, String missing, int max, String what) {
        if (value == null || value.isBlank()) {
            throw new Rejected(Reason.MALFORMED, missing);
        }
        if (value.length() > max) {
            throw new Rejected(
                    Reason.MALFORMED,
                    what + " is " + value.length() + " characters long; at most " + max + " are kept");
        }
        return value;
    }

    private static String sha256(byte[] body) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
