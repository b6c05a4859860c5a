package io.hookline.portal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookline.contract.DeliveryApi;
import io.hookline.contract.WebhookApi;
import io.hookline.service.DeliveryService;
import io.hookline.service.Revocation;
import io.hookline.service.WebhookService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Every change the portal makes, one method each, all for the tenant of the portal session: the one place where a
 * portal mutation happens (and so where an audit log records who did what). Each calls the same service method as
 * the API, so the rules, the validation and the transaction are the API's.
 */
@ApplicationScoped
public class PortalMutations {
    @Inject
    WebhookService webhooks;

    @Inject
    DeliveryService deliveries;

    @Inject
    Revocation revocation;

    @Inject
    ObjectMapper json;

    WebhookApi.WithSecret create(String tenant, String url, String description, List<String> eventTypes) {
        return webhooks.create(tenant, new WebhookApi.Create(url, description, eventTypes, null));
    }

    /** Changes url, description (blank clears it) and the filter at once, like a PATCH naming all three. */
    WebhookApi.View change(String tenant, String id, String url, String description, List<String> eventTypes) {
        ObjectNode patch = json.createObjectNode().put("url", url);
        if (description == null || description.isBlank()) {
            patch.putNull("description");
        } else {
            patch.put("description", description);
        }
        eventTypes.forEach(patch.putArray("eventTypes")::add);
        return webhooks.update(tenant, id, patch);
    }

    WebhookApi.View setEnabled(String tenant, String id, boolean enabled) {
        return webhooks.update(tenant, id, json.createObjectNode().put("enabled", enabled));
    }

    WebhookApi.WithSecret rotate(String tenant, String id, long graceSeconds) {
        return webhooks.rotate(tenant, id, new WebhookApi.Rotate(graceSeconds));
    }

    /** As DELETE /v1/webhooks/{id}: once this returns, nothing more is sent to the endpoint. */
    void revoke(String tenant, String id) {
        webhooks.revoke(tenant, id);
        revocation.awaitQuiet(id);
    }

    Uni<DeliveryApi.TestResult> test(String tenant, String id) {
        return deliveries.test(tenant, id);
    }

    DeliveryApi.View redeliver(String tenant, String deliveryId) {
        return deliveries.redeliver(tenant, deliveryId);
    }
}
