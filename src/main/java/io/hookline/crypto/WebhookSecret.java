package io.hookline.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A plaintext signing secret, {@code whsec_} + base64 of 32 random bytes. It lives only in memory and in the one
 * response that hands it out; {@link #toString()} never shows it.
 */
public final class WebhookSecret {
    public static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String value;

    private WebhookSecret(String value) {
        this.value = value;
    }

    public static WebhookSecret generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return new WebhookSecret(PREFIX + Base64.getEncoder().encodeToString(key));
    }

    public static WebhookSecret of(String value) {
        if (value == null || !value.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + PREFIX);
        }
        return new WebhookSecret(value);
    }

    /** The whole string: shown to the user once and the key of the hex signature header. */
    public String reveal() {
        return value;
    }

    /** UTF-8 of the whole string: the HMAC key of the hex signature. */
    public byte[] hexSignatureKey() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** The decoded bytes after {@code whsec_}: the HMAC key of the Standard Webhooks signature. */
    public byte[] standardWebhooksKey() {
        return Base64.getDecoder().decode(value.substring(PREFIX.length()));
    }

    @Override
    public String toString() {
        return PREFIX + "***";
    }
}
