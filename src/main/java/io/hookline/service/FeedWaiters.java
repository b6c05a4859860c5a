package io.hookline.service;

import io.agroal.api.AgroalDataSource;
import io.hookline.common.sql.Prepared;
import io.hookline.common.sql.Sql;
import io.hookline.config.HooklineConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The long polls of the event feed that found nothing and wait, and what wakes them: a publish of their tenant on this
 * replica (at once, after its commit), or the feed's horizon moving past the one they read below (checked every
 * {@code hookline.feed.poll-interval} by one query for all of them, and only while some wait). What a read finds
 * depends only on its cursor and its horizon, so a wait for the horizon to move misses nothing, whichever replica
 * published; the publish wake only makes the common case faster. A waiting poll holds no thread and no connection:
 * it is a future and a set entry. This class is threadsafe.
 */
@ApplicationScoped
public class FeedWaiters {
    private static final Logger LOG = Logger.getLogger(FeedWaiters.class);

    /**
     * The feed's horizon now, as text (see {@link EventFeed}); the same expression as in {@link EventFeed#READ}.
     * Loaded when this bean starts ({@link #start} observes the start-up), so a missing file fails the start.
     */
    static final Sql HORIZON = Sql.load("feed/horizon.sql");

    /** Why a wait ended. */
    public enum Wake {
        /** The tenant published on this replica. */
        PUBLISHED,
        /** The horizon moved past the one the poll read below: a new read may find more. */
        HORIZON,
        /** The poll's {@code wait} is over. */
        TIMEOUT,
        /** The replica is stopping: answer what there is. */
        SHUTDOWN
    }

    private record Waiter(String tenant, long horizon, boolean publishWakes, CompletableFuture<Wake> wake) {}

    @Inject
    AgroalDataSource dataSource;

    @Inject
    HooklineConfig config;

    @Inject
    Vertx vertx;

    private final Map<String, Set<Waiter>> byTenant = new ConcurrentHashMap<>();
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile boolean running;
    private long timer = -1;

    void start(@Observes StartupEvent event) {
        running = true;
        timer = vertx.setPeriodic(config.feed().pollInterval().toMillis(), id -> checkHorizon());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        byTenant.values().forEach(set -> set.forEach(w -> w.wake.complete(Wake.SHUTDOWN)));
    }

    /**
     * A future that completes when a read of {@code tenant}'s feed below {@code horizon} may find more, or with
     * {@link Wake#TIMEOUT} after {@code max}.
     *
     * @param publishWakes whether a publish of the tenant on this replica ends the wait (else only the horizon moving)
     */
    CompletableFuture<Wake> await(String tenant, long horizon, Duration max, boolean publishWakes) {
        Waiter w = new Waiter(tenant, horizon, publishWakes, new CompletableFuture<>());
        byTenant.compute(tenant, (t, set) -> {
            Set<Waiter> waiters = set != null ? set : ConcurrentHashMap.newKeySet();
            waiters.add(w);
            return waiters;
        });
        w.wake.whenComplete((wake, failure) -> byTenant.computeIfPresent(tenant, (t, set) -> {
            set.remove(w);
            return set.isEmpty() ? null : set;
        }));
        w.wake.completeOnTimeout(Wake.TIMEOUT, max.toNanos(), TimeUnit.NANOSECONDS);
        if (!running) {
            w.wake.complete(Wake.SHUTDOWN);
        }
        return w.wake;
    }

    /** Polls of {@code tenant} waiting now (for tests and diagnostics). */
    public int waiting(String tenant) {
        Set<Waiter> waiters = byTenant.get(tenant);
        return waiters == null ? 0 : waiters.size();
    }

    /** After a transaction that appended to a tenant's feed committed: its waiting polls read again. */
    void appended(@Observes(during = TransactionPhase.AFTER_SUCCESS) EventFeed.Appended event) {
        Set<Waiter> waiters = byTenant.get(event.tenant());
        if (waiters != null) {
            waiters.stream().filter(Waiter::publishWakes).forEach(w -> w.wake.complete(Wake.PUBLISHED));
        }
    }

    /** On the timer: when polls wait, one query for the horizon, and every poll that read below an older one reads again. */
    private void checkHorizon() {
        if (byTenant.isEmpty() || !checking.compareAndSet(false, true)) {
            return;
        }
        try {
            Infrastructure.getDefaultWorkerPool().execute(() -> {
                try {
                    long horizon = horizon();
                    byTenant.values()
                            .forEach(set -> set.stream()
                                    .filter(w -> w.horizon < horizon)
                                    .forEach(w -> w.wake.complete(Wake.HORIZON)));
                } catch (SQLException | RuntimeException e) {
                    // the waits end at their timeout instead, with what their last read found
                    LOG.debugf("feed horizon not read (%s)", e.getMessage());
                } finally {
                    checking.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            checking.set(false); // shutting down
        }
    }

    private long horizon() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Prepared ps = HORIZON.prepare(c);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return Long.parseLong(rs.getString(1));
        }
    }
}
