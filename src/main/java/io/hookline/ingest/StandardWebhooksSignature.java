package io.hookline.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The Standard Webhooks scheme (standardwebhooks.com, the same as Svix's): headers {@code webhook-id},
 * {@code webhook-timestamp} (unix seconds) and {@code webhook-signature}, a space-separated list of
 * {@code v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{raw body}">} keyed with the base64-decoded bytes after
 * {@code whsec_}. Any {@code v1} may match; other versions are ignored; the timestamp must be within the tolerance.
 * Stateless and threadsafe.
 */
public final class StandardWebhooksSignature {
    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    static final int MAX_SIGNATURES = 8;

    private StandardWebhooksSignature() {}

    public static void verify(
            ProviderSecret secret,
            String id,
            String timestamp,
            String signature,
            byte[] body,
            long nowSeconds,
            long toleranceSeconds) {
        if (id == null || id.isBlank() || timestamp == null || signature == null || signature.isBlank()) {
            throw new Rejected(
                    Reason.MISSING_SIGNATURE,
                    "the " + ID + ", " + TIMESTAMP + " and " + SIGNATURE + " headers are required");
        }
        Long signedAt = Timestamps.parse(timestamp);
        if (signedAt == null) {
            throw new Rejected(Reason.MISSING_SIGNATURE, TIMESTAMP + " must be unix seconds");
        }
        byte[] expected = Hmac.sha256(
                secret.standardWebhooksKey(), (id + "." + signedAt + ".").getBytes(StandardCharsets.UTF_8), body);
        int seen = 0;
        boolean match = false;
        for (String entry : signature.trim().split(" +")) {
            if (!entry.startsWith("v1,") || seen == MAX_SIGNATURES) {
                continue;
            }
            seen++;
            byte[] given;
            try {
                given = Base64.getDecoder().decode(entry.substring(3));
            } catch (IllegalArgumentException notBase64) {
                continue;
            }
            match |= MessageDigest.isEqual(expected, given);
        }
        if (seen == 0) {
            throw new Rejected(Reason.MISSING_SIGNATURE, SIGNATURE + " has no v1,<base64> entry");
        }
        if (!match) {
            throw new Rejected(Reason.BAD_SIGNATURE, "no v1 entry of " + SIGNATURE + " matches the body");
        }
        Timestamps.check(signedAt, nowSeconds, toleranceSeconds);
    }
}
