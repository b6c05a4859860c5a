package io.hookline.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A provider's signing secret in memory, decrypted for one verification. {@link #toString()} never shows it, so it
 * cannot reach a log line by accident.
 */
public final class ProviderSecret {
    /** Stripe's and Standard Webhooks' secrets start with this. */
    public static final String WHSEC = "whsec_";

    private final String value;

    public ProviderSecret(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a provider secret is a non-empty string");
        }
        this.value = value;
    }

    /** The secret as the tenant typed it. */
    public String reveal() {
        return value;
    }

    /** UTF-8 of the whole string: the HMAC key of Stripe, GitHub and the plain hex scheme. */
    public byte[] utf8() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The Standard Webhooks key: the base64-decoded bytes after {@code whsec_}.
     *
     * @throws IllegalArgumentException when the secret is not {@code whsec_<base64>}
     */
    public byte[] standardWebhooksKey() {
        if (!value.startsWith(WHSEC)) {
            throw new IllegalArgumentException("a Standard Webhooks secret starts with " + WHSEC);
        }
        return Base64.getDecoder().decode(value.substring(WHSEC.length()));
    }

    @Override
    public String toString() {
        return "***";
    }
}
