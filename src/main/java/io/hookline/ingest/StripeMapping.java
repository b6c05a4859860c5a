package io.hookline.ingest;

import java.util.Map;

/**
 * The built-in Stripe mapping: Stripe event types that become the simple event types of a billing platform (the
 * README's table lists the same). A source's {@code typeMapping} overrides or extends it; a type in neither becomes
 * {@code stripe.<type>} with the original object as data.
 * <p>
 * Stripe sends {@code charge.succeeded} and {@code payment_intent.succeeded} for the same card payment: choose the
 * events an endpoint receives in Stripe's dashboard, or both become a {@code transaction.created}.
 */
public final class StripeMapping {
    public static final Map<String, String> BUILT_IN = Map.ofEntries(
            Map.entry("customer.subscription.created", "subscription.created"),
            Map.entry("customer.subscription.updated", "subscription.updated"),
            Map.entry("customer.subscription.deleted", "subscription.updated"),
            Map.entry("customer.subscription.paused", "subscription.updated"),
            Map.entry("customer.subscription.resumed", "subscription.updated"),
            Map.entry("charge.succeeded", "transaction.created"),
            Map.entry("payment_intent.succeeded", "transaction.created"),
            Map.entry("invoice.paid", "transaction.created"),
            Map.entry("charge.refunded", "transaction.updated"),
            Map.entry("payment_intent.payment_failed", "transaction.updated"),
            Map.entry("invoice.payment_failed", "transaction.updated"));

    private StripeMapping() {}
}
