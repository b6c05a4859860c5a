package io.hookline.ingest;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The signature schemes a source can verify, by the names the API uses. */
public enum Provider {
    /** {@code Stripe-Signature: t=…,v1=…}: hex HMAC-SHA256 of {@code "{t}.{body}"}, keyed with the whole secret. */
    STRIPE("stripe"),
    /** {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}, keyed with the secret as typed. */
    GITHUB("github"),
    /** {@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature: v1,<base64>} (standardwebhooks.com). */
    STANDARD_WEBHOOKS("standard-webhooks"),
    /** A hex HMAC-SHA256 of the body in a header the source names (monitoring services and the like). */
    HMAC_SHA256("hmac-sha256");

    private final String wire;

    Provider(String wire) {
        this.wire = wire;
    }

    /** The name in the API and in the database. */
    public String wire() {
        return wire;
    }

    public static Optional<Provider> fromWire(String name) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(name)).findFirst();
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(Provider::wire).toList();
    }
}
