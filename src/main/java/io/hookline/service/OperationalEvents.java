package io.hookline.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.queue.WebhookDisabled;
import io.hookline.store.Webhook;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Tells a tenant what Hookline itself did to its webhooks: when the engine disables one (410 Gone, or failing for too
 * long), {@code hookline.webhook.disabled} is published to the tenant's other webhooks that subscribed to it. Rotations
 * and revocations are published by {@link WebhookService} in their own transaction.
 */
@ApplicationScoped
public class OperationalEvents {
    private static final Logger LOG = Logger.getLogger(OperationalEvents.class);

    @Inject
    EventService events;

    @Inject
    ObjectMapper json;

    void disabled(@Observes WebhookDisabled disabled) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                Webhook w = Webhook.findById(disabled.webhookId());
                if (w == null) {
                    return;
                }
                ObjectNode data = json.createObjectNode()
                        .put("webhook_id", w.id)
                        .put("reason", disabled.reason())
                        .put("consecutive_failures", w.consecutiveFailures);
                data.put("failing_since", w.failingSince == null ? null : w.failingSince.toString());
                events.publishOperational(w.tenant, EventService.WEBHOOK_DISABLED, data, w.id);
            });
        } catch (RuntimeException e) {
            // the webhook is disabled either way and the log says so; only the tenant's notice is missing
            LOG.warnf(
                    "Webhook %s disabled, but %s could not be published: %s",
                    disabled.webhookId(), EventService.WEBHOOK_DISABLED, e.getMessage());
        }
    }
}
