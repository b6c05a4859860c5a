package io.hookline.service;

import io.agroal.api.AgroalDataSource;
import io.hookline.queue.DeliveryQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * The second half of a revoke: the promise that nothing is sent to the endpoint once DELETE returns. The revoke
 * transaction already cancelled what was waiting; a claim taken before it may be in flight on any replica, so this
 * waits until no unexpired claim of the webhook is left (at most one lease: timeout + margin), then cancels whatever
 * those claims put back as retries. A claim never starts a request once its webhook is revoked (the claim reads the
 * webhook's state), and never after its lease.
 */
@ApplicationScoped
public class Revocation {
    private static final Logger LOG = Logger.getLogger(Revocation.class);

    @Inject
    DeliveryQueue queue;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    public void awaitQuiet(String webhookId) {
        Instant deadline = clock.instant().plus(queue.leaseDuration());
        try {
            while (queue.countInFlight(webhookId, clock.instant()) > 0
                    && clock.instant().isBefore(deadline)) {
                Thread.sleep(20);
            }
            try (Connection c = dataSource.getConnection()) {
                DeliveryQueue.cancelPendingForWebhook(c, webhookId, "webhook revoked", clock.instant());
            }
        } catch (SQLException e) {
            LOG.warnf(
                    "Revoked webhook %s, but could not confirm its in-flight deliveries finished: %s",
                    webhookId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
