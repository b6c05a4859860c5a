package io.hookline.queue;

/**
 * A CDI event: the current transaction queued deliveries that are due now. Services fire it inside the transaction
 * that inserts the rows; the engine observes it after the commit ({@code during = AFTER_SUCCESS}) and wakes the
 * dispatchers, so services never reference the engine and a rolled-back publish wakes nobody.
 */
public record DeliveriesQueued() {
    /** The one instance: the event carries no data, only the fact. */
    public static final DeliveriesQueued NOW = new DeliveriesQueued();
}
