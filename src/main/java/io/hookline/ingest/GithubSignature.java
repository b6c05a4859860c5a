package io.hookline.ingest;

/**
 * GitHub's scheme (docs.github.com, "Validating webhook deliveries"): {@code X-Hub-Signature-256: sha256=<hex
 * HMAC-SHA256 of the raw body>}, keyed with the webhook's secret as UTF-8. GitHub signs no timestamp; a replay is
 * caught by the de-duplication on {@code X-GitHub-Delivery} instead. Stateless and threadsafe.
 */
public final class GithubSignature {
    public static final String HEADER = "X-Hub-Signature-256";
    public static final String DELIVERY = "X-GitHub-Delivery";
    public static final String EVENT = "X-GitHub-Event";
    static final String PREFIX = "sha256=";

    private GithubSignature() {}

    public static void verify(ProviderSecret secret, String header, byte[] body) {
        if (header == null || header.isBlank()) {
            throw new Rejected(Reason.MISSING_SIGNATURE, "no " + HEADER + " header");
        }
        if (!header.startsWith(PREFIX)) {
            throw new Rejected(Reason.MISSING_SIGNATURE, HEADER + " must be sha256=<hex>");
        }
        if (!Hmac.hexMatches(Hmac.sha256(secret.utf8(), body), header.substring(PREFIX.length()))) {
            throw new Rejected(Reason.BAD_SIGNATURE, HEADER + " does not match the body");
        }
    }
}
