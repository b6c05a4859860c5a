package io.hookline.ingest;

/**
 * Why an inbound request was refused: the closed set of values of the {@code reason} label of
 * {@code hookline_ingest_rejected_total}, and of a source's {@code lastRejection.reason}.
 */
public enum Reason {
    /** No live source has that id (never created, deleted, or a mistyped URL). */
    UNKNOWN_SOURCE("unknown_source", 404),
    /** The body is larger than an ingested event may be. */
    TOO_LARGE("too_large", 413),
    /** The provider's signature header (or its timestamp, or its id) is absent or cannot be read. */
    MISSING_SIGNATURE("missing_signature", 400),
    /** The signature does not match the body under the source's secret. */
    BAD_SIGNATURE("bad_signature", 400),
    /** The signed timestamp is further from now than the tolerance ({@code hookline.ingest.tolerance}). */
    STALE_TIMESTAMP("stale_timestamp", 400),
    /** Signed correctly, but not something an event can be made of: not JSON, or no provider event id or type. */
    MALFORMED("malformed", 400);

    private final String label;
    private final int status;

    Reason(String label, int status) {
        this.label = label;
        this.status = status;
    }

    /** The metric label and API value. */
    public String label() {
        return label;
    }

    /** The HTTP status of the problem answer. */
    public int status() {
        return status;
    }
}
