package io.hookline.ingest;

/**
 * An inbound request refused before anything is stored. The detail is for the provider's delivery log (Stripe and
 * GitHub show the answer body): it names the rule, never the expected signature or anything secret.
 */
public final class Rejected extends RuntimeException {
    private final Reason reason;

    public Rejected(Reason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
