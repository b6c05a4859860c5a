package io.hookline.engine;

import io.hookline.queue.Outcome;
import io.hookline.store.DeliveryStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Hookline's delivery metrics, exposed by Micrometer's Prometheus registry at /q/metrics. Labels take values from
 * closed sets only (outcome, error class, reason); a tenant label exists only when hookline.metrics.tenant-label is
 * set, since the number of tenants is unbounded. This class is threadsafe.
 *
 * <pre>
 * hookline_deliveries_total{outcome="succeeded|failed|cancelled"}   deliveries that reached a final state
 * hookline_retries_scheduled_total                                  failed attempts that will be retried
 * hookline_delivery_attempt_duration_seconds{result,error}          one HTTP attempt, histogram
 * hookline_delivery_lag_seconds                                     publish to successful delivery, histogram
 * hookline_webhooks_disabled_total{reason="gone|failing"}           webhooks disabled by Hookline
 * hookline_sends_in_flight                                          requests on the wire now (this replica)
 * hookline_queue_depth{status="pending|due|in_flight"}              queue rows (all replicas), sampled
 * hookline_deliveries_released_total{reason="busy|share|paused|lease|stopping"}
 *                                                                   claims given back unsent (this replica)
 * hookline_endpoint_concurrency_limit{stat="min|p50|p90|max"}       the endpoints' adaptive limits (this replica)
 * hookline_endpoint_lanes, hookline_endpoint_paused                 endpoints with a lane here; of those, paused
 * hookline_endpoint_limit_cuts_total{reason="timeout|throttled|unavailable|connection|latency"}
 *                                                                   times an endpoint's limit was cut, and why
 * </pre>
 * The concurrency limits are a distribution over this replica's endpoints, not a series per webhook: the number of
 * webhooks is unbounded.
 */
public class DeliveryMetrics {
    private static final Duration[] ATTEMPT_BUCKETS = {
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10)
    };
    private static final Duration[] LAG_BUCKETS = {
        Duration.ofMillis(10),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        Duration.ofMinutes(30),
        Duration.ofHours(2),
        Duration.ofHours(12),
        Duration.ofDays(1)
    };

    private final MeterRegistry registry;
    private final boolean tenantLabel;
    private final Counter retries;
    private final Timer lag;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public DeliveryMetrics(MeterRegistry registry, boolean tenantLabel) {
        this.registry = registry;
        this.tenantLabel = tenantLabel;
        this.retries = Counter.builder("hookline.retries.scheduled")
                .description("Failed attempts that will be retried")
                .register(registry);
        this.lag = Timer.builder("hookline.delivery.lag")
                .description("From publish to successful delivery")
                .serviceLevelObjectives(LAG_BUCKETS)
                .register(registry);
    }

    /** Counts outcomes once they are recorded in the queue. */
    public void recorded(Outcome outcome) {
        if (outcome instanceof Outcome.Attempted a) {
            boolean ok = a.attempt().succeeded();
            String error = ok ? "none" : a.attempt().errorClass().value();
            timers.computeIfAbsent(
                            error,
                            e -> Timer.builder("hookline.delivery.attempt.duration")
                                    .description("One HTTP delivery attempt")
                                    .tag("result", ok ? "success" : "failure")
                                    .tag("error", e)
                                    .serviceLevelObjectives(ATTEMPT_BUCKETS)
                                    .register(registry))
                    .record(Duration.ofMillis(a.attempt().durationMs()));
            if (ok) {
                lag.record(Duration.between(
                        outcome.claim().eventCreatedAt(), a.attempt().startedAt()));
            }
        }
        if (outcome instanceof Outcome.Retry) {
            retries.increment();
        } else if (outcome instanceof Outcome.Succeeded) {
            count(DeliveryStatus.SUCCEEDED, outcome);
        } else if (outcome instanceof Outcome.Failed) {
            count(DeliveryStatus.FAILED, outcome);
        } else if (outcome instanceof Outcome.Cancelled) {
            count(DeliveryStatus.CANCELLED, outcome);
        }
    }

    private void count(DeliveryStatus status, Outcome outcome) {
        String tenant = tenantLabel ? outcome.claim().tenant() : "";
        counters.computeIfAbsent(status.value() + "|" + tenant, k -> {
                    Counter.Builder b = Counter.builder("hookline.deliveries")
                            .description("Deliveries that reached a final state")
                            .tag("outcome", status.value());
                    if (tenantLabel) {
                        b.tag("tenant", tenant);
                    }
                    return b.register(registry);
                })
                .increment();
    }

    public void webhookDisabled(boolean gone) {
        String reason = gone ? "gone" : "failing";
        counters.computeIfAbsent(
                        "disabled|" + reason,
                        k -> Counter.builder("hookline.webhooks.disabled")
                                .description("Webhooks disabled by Hookline")
                                .tag("reason", reason)
                                .register(registry))
                .increment();
    }

    /** Why a claim goes back to the queue unsent; the label of hookline_deliveries_released_total. */
    public enum Release {
        /** its endpoint is at its limit with as many claims waiting as it can start soon */
        BUSY,
        /**
         * its endpoint held more than its share of the replica's slots (max-in-flight over the endpoints holding
         * claims) once more endpoints came: waiting claims go back so the others get theirs
         */
        SHARE,
        /** its endpoint asked for a pause (Retry-After) */
        PAUSED,
        /** too little lease left to send it safely */
        LEASE,
        /** the dispatcher is stopping */
        STOPPING;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public void released(Release reason) {
        counters.computeIfAbsent(
                        "released|" + reason.label(),
                        k -> Counter.builder("hookline.deliveries.released")
                                .description("Claims given back to the queue unsent (this replica)")
                                .tag("reason", reason.label())
                                .register(registry))
                .increment();
    }

    /** How many claims were given back for {@code reason} so far (for tests and the bench). */
    public double releasedCount(Release reason) {
        Counter c = counters.get("released|" + reason.label());
        return c == null ? 0 : c.count();
    }

    /** An endpoint's concurrency limit was cut; {@code reason} is one of a closed set (EndpointSignals.Drop). */
    public void limitCut(String reason) {
        String label = reason.toLowerCase(Locale.ROOT);
        counters.computeIfAbsent(
                        "cut|" + label,
                        k -> Counter.builder("hookline.endpoint.limit.cuts")
                                .description("Times an endpoint's adaptive concurrency limit was cut, by cause")
                                .tag("reason", label)
                                .register(registry))
                .increment();
    }

    /** What the lanes of this replica look like now: each endpoint's limit, sorted, and how many are paused. */
    public record Lanes(int[] sortedLimits, int paused) {
        static final Lanes NONE = new Lanes(new int[0], 0);

        double stat(double quantile) {
            if (sortedLimits.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(quantile * sortedLimits.length);
            return sortedLimits[Math.max(0, Math.min(sortedLimits.length - 1, rank - 1))];
        }
    }

    /**
     * Registers the endpoint-limit gauges over {@code lanes}, read at most once a second (a scrape reads five gauges
     * and each would otherwise walk every lane).
     */
    public void endpointLimits(Supplier<Lanes> lanes) {
        Supplier<Lanes> cached = new Supplier<>() {
            private volatile Lanes last = Lanes.NONE;
            private volatile long readAt = System.nanoTime() - 2_000_000_000L;

            @Override
            public Lanes get() {
                long now = System.nanoTime();
                if (now - readAt > 1_000_000_000L) {
                    last = lanes.get();
                    readAt = now;
                }
                return last;
            }
        };
        String[][] stats = {{"min", "0"}, {"p50", "0.5"}, {"p90", "0.9"}, {"max", "1"}};
        for (String[] stat : stats) {
            double q = Double.parseDouble(stat[1]);
            Gauge.builder(
                            "hookline.endpoint.concurrency.limit",
                            cached,
                            c -> c.get().stat(q))
                    .description("Adaptive concurrency limits of the endpoints with a lane on this replica: "
                            + "distribution over the endpoints")
                    .tag("stat", stat[0])
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder("hookline.endpoint.lanes", cached, c -> c.get().sortedLimits().length)
                .description("Endpoints with a lane (recent traffic) on this replica")
                .strongReference(true)
                .register(registry);
        Gauge.builder("hookline.endpoint.paused", cached, c -> c.get().paused())
                .description("Endpoints paused by a Retry-After on this replica")
                .strongReference(true)
                .register(registry);
    }

    public void sendsInFlight(Supplier<Number> sending) {
        // strong reference: Micrometer holds gauge objects weakly, and nothing else holds this supplier
        Gauge.builder("hookline.sends.in_flight", sending, s -> s.get().doubleValue())
                .description("Delivery requests on the wire now (this replica)")
                .strongReference(true)
                .register(registry);
    }
}
