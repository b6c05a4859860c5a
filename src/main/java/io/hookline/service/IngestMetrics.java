package io.hookline.service;

import io.hookline.ingest.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;

/**
 * The metrics of POST /ingest/{sourceId}, labelled from closed sets only (no source id, no tenant); every series
 * exists from start-up, at 0, so a rate() over it has a baseline. Threadsafe.
 *
 * <pre>
 * hookline_ingest_rejected_total{reason="unknown_source|too_large|missing_signature|bad_signature|stale_timestamp|malformed"}
 * hookline_ingest_received_total{result="accepted|duplicate"}
 * </pre>
 */
@Startup
@ApplicationScoped
public class IngestMetrics {
    private final Map<Reason, Counter> rejected = new EnumMap<>(Reason.class);
    private final Counter accepted;
    private final Counter duplicate;

    @Inject
    public IngestMetrics(MeterRegistry registry) {
        for (Reason reason : Reason.values()) {
            rejected.put(
                    reason,
                    Counter.builder("hookline.ingest.rejected")
                            .description("Inbound requests refused before anything was stored, by reason")
                            .tag("reason", reason.label())
                            .register(registry));
        }
        accepted = received(registry, "accepted");
        duplicate = received(registry, "duplicate");
    }

    private static Counter received(MeterRegistry registry, String result) {
        return Counter.builder("hookline.ingest.received")
                .description("Inbound requests verified and answered 2xx: new, or a retry of a stored one")
                .tag("result", result)
                .register(registry);
    }

    public void rejected(Reason reason) {
        rejected.get(reason).increment();
    }

    void received(boolean isDuplicate) {
        (isDuplicate ? duplicate : accepted).increment();
    }
}
