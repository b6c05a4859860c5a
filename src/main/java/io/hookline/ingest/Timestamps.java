package io.hookline.ingest;

/** The replay window of the timestamped schemes (Stripe, Standard Webhooks). */
final class Timestamps {
    private Timestamps() {}

    /** Throws {@link Reason#STALE_TIMESTAMP} when {@code signedAt} is more than the tolerance away from now. */
    static void check(long signedAt, long nowSeconds, long toleranceSeconds) {
        long skew = nowSeconds - signedAt;
        if (skew > toleranceSeconds || skew < -toleranceSeconds) {
            throw new Rejected(
                    Reason.STALE_TIMESTAMP,
                    "the signed timestamp is " + Math.abs(skew) + " s " + (skew > 0 ? "old" : "in the future")
                            + "; at most " + toleranceSeconds + " s are accepted");
        }
    }

    /** Unix seconds as sent, or null when the value is not a whole number. */
    static Long parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
