package io.hookline.engine;

import io.hookline.queue.DeliveryQueue;
import io.hookline.store.DeliveryStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToLongFunction;
import org.jboss.logging.Logger;

/**
 * {@code hookline_queue_depth{status}}: sampled when scraped, at most once per 10 s, so a scrape interval shorter
 * than that, or several scrapers, add no database load; a replica nobody scrapes never runs the query.
 */
@ApplicationScoped
public class QueueDepthGauges {
    private static final Logger LOG = Logger.getLogger(QueueDepthGauges.class);
    static final Duration MAX_AGE = Duration.ofSeconds(10);

    @Inject
    DeliveryQueue queue;

    @Inject
    MeterRegistry registry;

    @Inject
    Clock clock;

    private volatile DeliveryQueue.Depth last = new DeliveryQueue.Depth(0, 0, 0);
    private volatile Instant sampledAt = Instant.EPOCH;

    void register(@Observes StartupEvent event) {
        gauge(DeliveryStatus.PENDING.value(), DeliveryQueue.Depth::pending);
        gauge("due", DeliveryQueue.Depth::due);
        gauge(DeliveryStatus.IN_FLIGHT.value(), DeliveryQueue.Depth::inFlight);
    }

    private void gauge(String status, ToLongFunction<DeliveryQueue.Depth> part) {
        Gauge.builder("hookline.queue.depth", this, g -> part.applyAsLong(g.sample()))
                .description("Deliveries in the queue by status (all replicas; capped at 1,000,000)")
                .tag("status", status)
                .strongReference(true)
                .register(registry);
    }

    synchronized DeliveryQueue.Depth sample() {
        Instant now = clock.instant();
        if (Duration.between(sampledAt, now).compareTo(MAX_AGE) >= 0) {
            try {
                last = queue.depth(now);
            } catch (SQLException e) {
                LOG.debugf("Queue depth not sampled: %s", e.getMessage());
            }
            sampledAt = now;
        }
        return last;
    }
}
