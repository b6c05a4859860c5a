package io.hookline.delivery;

import jakarta.enterprise.context.ApplicationScoped;

/** Placeholder replaced by the delivery engine. */
@ApplicationScoped
public class DeliveryCancellation {
    public void afterRevoke(String webhookId) {
    }
}
