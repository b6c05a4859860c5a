package io.hookline.config;

/**
 * The per-webhook concurrency bounds as the replica uses them, resolved from {@link HooklineConfig.Delivery}: the
 * ceiling comes from {@code hookline.delivery.max-concurrency-per-webhook}, else from the deprecated
 * {@code max-in-flight-per-webhook} (its old meaning was exactly that: the most requests in flight to one webhook),
 * else {@value #DEFAULT_CEILING}; the initial limit never exceeds the ceiling.
 */
public final class DeliveryLimits {
    /**
     * Half of the default {@code max-in-flight} (256): one endpoint at its ceiling still leaves half the replica's
     * slots to the others; a local 1 ms receiver needs about 10 in flight for 10,000 deliveries/s, so 128 is far
     * beyond what a fast endpoint needs and only a ceiling.
     */
    public static final int DEFAULT_CEILING = 128;

    private DeliveryLimits() {}

    public static int ceiling(HooklineConfig.Delivery d) {
        return d.maxConcurrencyPerWebhook().orElse(d.maxInFlightPerWebhook().orElse(DEFAULT_CEILING));
    }

    public static int initial(HooklineConfig.Delivery d) {
        return Math.max(1, Math.min(d.initialConcurrencyPerWebhook(), ceiling(d)));
    }
}
