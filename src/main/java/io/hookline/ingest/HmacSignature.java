package io.hookline.ingest;

/**
 * The plain scheme for senders without one of their own (monitoring services and the like): the hex HMAC-SHA256 of
 * the raw body, keyed with the secret as UTF-8, in a header the source names; a {@code sha256=} prefix is accepted
 * too. No timestamp is signed: a replay is caught by the de-duplication on the body's hash. Stateless and threadsafe.
 */
public final class HmacSignature {
    static final String PREFIX = "sha256=";

    private HmacSignature() {}

    public static void verify(ProviderSecret secret, String headerName, String value, byte[] body) {
        if (value == null || value.isBlank()) {
            throw new Rejected(Reason.MISSING_SIGNATURE, "no " + headerName + " header");
        }
        String hex = value.trim();
        if (hex.startsWith(PREFIX)) {
            hex = hex.substring(PREFIX.length());
        }
        if (!Hmac.hexMatches(Hmac.sha256(secret.utf8(), body), hex)) {
            throw new Rejected(Reason.BAD_SIGNATURE, headerName + " does not match the body");
        }
    }
}
