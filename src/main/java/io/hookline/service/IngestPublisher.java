package io.hookline.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.hookline.common.sql.Prepared;
import io.hookline.common.sql.Sql;
import io.hookline.config.HooklineConfig;
import io.hookline.contract.ProblemException;
import io.hookline.contract.PublishRequest;
import io.hookline.ingest.Normaliser;
import io.hookline.ingest.Provider;
import io.hookline.ingest.Received;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Turns stored inbound requests into events of their tenant. Each request is published in one transaction that locks
 * its row ({@code FOR UPDATE SKIP LOCKED}), normalises it ({@link Normaliser}), publishes through
 * {@link EventService#publish} (event and deliveries, as any publish) with the idempotency key
 * {@code ingest:<source id>:<provider event id>}, and marks the row published: all of it or none of it.
 * <p>
 * Two ways in. Right after a request's transaction commits, its id goes to this replica's two
 * {@code hookline-ingest} threads (a bounded queue; when it is full the id is left to the sweep). And every
 * {@code hookline.ingest.sweep-interval} each replica publishes whatever is still pending: what a replica that died
 * after answering left behind, or what a failed attempt left. Two replicas on the same row: one locks it, the other
 * skips it; should both publish (a crash between commit and the row's update cannot happen, they are one
 * transaction), the idempotency key still makes it one event.
 * <p>
 * A publish the events service refuses (a 4xx: the event would be too large) marks the row failed with the reason at
 * once; any other failure (the database) counts an attempt and leaves it pending for the sweep, up to
 * {@link #MAX_ATTEMPTS}.
 */
@ApplicationScoped
@Startup // loads its statements at start-up: a missing file fails the start, not the first inbound request
public class IngestPublisher {
    private static final Logger LOG = Logger.getLogger(IngestPublisher.class);
    static final int MAX_ATTEMPTS = 10;
    static final int SWEEP_BATCH = 100;
    /** Ids waiting for the publisher threads; beyond it they wait for the sweep. */
    static final int QUEUE = 10_000;

    /** The sweep's scheduler identity (to pause it, for example). */
    public static final String SWEEP = "hookline-ingest-sweep";

    static final Sql LOCK_PENDING = Sql.load("ingest/lock-pending.sql");
    static final Sql MARK_PUBLISHED = Sql.load("ingest/mark-published.sql");
    /** A permanent failure, or the last allowed attempt, ends the row as failed; the body is kept for inspection. */
    static final Sql MARK_ATTEMPT_FAILED = Sql.load("ingest/mark-attempt-failed.sql");
    /** Oldest first, after a cursor, so a run passes each row once even when some stay pending. */
    static final Sql PENDING_AFTER = Sql.load("ingest/pending-after.sql");

    /** What one attempt on one request did. */
    public enum Outcome {
        PUBLISHED,
        /** Already published, or being published by someone else right now. */
        NOT_PENDING,
        /** Left pending; the sweep tries again. */
        RETRY,
        FAILED
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    EventService events;

    @Inject
    HooklineConfig config;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    private final ThreadPoolExecutor executor = executor();

    private static ThreadPoolExecutor executor() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(
                2,
                2,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "hookline-ingest-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                new ThreadPoolExecutor.DiscardPolicy());
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        // what is still queued stays pending in the database: another replica's sweep, or ours next start, takes it
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Right after the storing transaction commits: publish on this replica's publisher threads, not the caller's. */
    void onStored(@Observes(during = TransactionPhase.AFTER_SUCCESS) SourceRequestStored stored) {
        if (!executor.isShutdown()) {
            executor.execute(() -> publish(stored.requestId()));
        }
    }

    @Scheduled(
            identity = SWEEP,
            every = "${hookline.ingest.sweep-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sweep() {
        try {
            publishPending();
        } catch (RuntimeException e) {
            LOG.warnf("Ingest sweep failed, retried in %s: %s", config.ingest().sweepInterval(), e.getMessage());
        }
    }

    /** Publishes every request pending now, oldest first; returns how many became events. */
    public int publishPending() {
        int published = 0;
        Instant afterTime = Instant.EPOCH;
        String afterId = "";
        while (true) {
            List<String> ids = new ArrayList<>();
            try (Connection c = dataSource.getConnection();
                    Prepared ps = PENDING_AFTER.prepare(c)) {
                ps.set("after_received_at", afterTime).set("after_id", afterId).set("limit", SWEEP_BATCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                        afterId = rs.getString(1);
                        afterTime = rs.getObject(2, OffsetDateTime.class).toInstant();
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("reading pending inbound requests failed", e);
            }
            for (String id : ids) {
                if (publish(id) == Outcome.PUBLISHED) {
                    published++;
                }
            }
            if (ids.size() < SWEEP_BATCH) {
                return published;
            }
        }
    }

    /** One attempt at one request; never throws. */
    public Outcome publish(String requestId) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> publishLocked(requestId));
        } catch (ProblemException refused) {
            LOG.infof("Inbound request %s cannot become an event: %s", requestId, refused.getMessage());
            return failed(requestId, refused.getMessage(), true);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Publishing inbound request %s failed; the sweep retries it", requestId);
            return failed(requestId, "publishing failed: " + e.getMessage(), false);
        }
    }

    private Outcome publishLocked(String requestId) throws SQLException, IOException {
        try (Connection c = dataSource.getConnection()) {
            String sourceId;
            String tenant;
            Received received;
            byte[] body;
            Provider provider;
            Map<String, String> mapping;
            try (Prepared ps = LOCK_PENDING.prepare(c)) {
                try (ResultSet rs = ps.set("id", requestId).executeQuery()) {
                    if (!rs.next()) {
                        return Outcome.NOT_PENDING;
                    }
                    sourceId = rs.getString(1);
                    tenant = rs.getString(2);
                    received = new Received(rs.getString(3), rs.getString(4));
                    body = rs.getBytes(5);
                    provider = Provider.fromWire(rs.getString(6)).orElseThrow();
                    mapping = json.readValue(rs.getString(7), new TypeReference<Map<String, String>>() {});
                }
            }
            Normaliser.Normalised event = Normaliser.normalise(provider, sourceId, received, body, mapping);
            EventService.Result result = events.publish(
                    tenant, new PublishRequest(event.type(), event.data(), idempotencyKey(sourceId, received)), null);
            try (Prepared ps = MARK_PUBLISHED.prepare(c)) {
                ps.set("event_id", result.event().id())
                        .set("event_type", result.event().type())
                        .set("published_at", clock.instant())
                        .set("id", requestId)
                        .executeUpdate();
            }
            return Outcome.PUBLISHED;
        }
    }

    /** The event's idempotency key: a request published twice (two replicas, a retried sweep) is one event. */
    static String idempotencyKey(String sourceId, Received received) {
        return "ingest:" + sourceId + ":" + received.providerEventId();
    }

    private Outcome failed(String requestId, String error, boolean permanent) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                try (Connection c = dataSource.getConnection();
                        Prepared ps = MARK_ATTEMPT_FAILED.prepare(c)) {
                    ps.set("error", error == null ? "unknown error" : error)
                            .set("permanent", permanent)
                            .set("max_attempts", MAX_ATTEMPTS)
                            .set("id", requestId)
                            .executeUpdate();
                }
                return permanent ? Outcome.FAILED : Outcome.RETRY;
            });
        } catch (RuntimeException e) {
            LOG.debugf("Could not record the failure of inbound request %s: %s", requestId, e.getMessage());
            return Outcome.RETRY;
        }
    }
}
