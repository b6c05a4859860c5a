package io.hookline.retention;

import io.agroal.api.AgroalDataSource;
import io.hookline.common.sql.Prepared;
import io.hookline.common.sql.Sql;
import io.hookline.common.sql.Transactions;
import io.hookline.config.HooklineConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes what the log no longer keeps, as of a given time: succeeded deliveries after
 * {@code hookline.retention.succeeded}, failed and cancelled ones after {@code hookline.retention.failed} (attempts go
 * with their delivery), and events older than the longer of the two that no delivery refers to. Pending and in-flight
 * deliveries are never touched, whatever their age.
 * <p>
 * Work is done in batches of {@code hookline.retention.batch-size} rows, each its own transaction of a few
 * milliseconds, until nothing is left or {@code hookline.retention.time-budget} is spent. Each batch first takes a
 * transaction-level advisory lock; when another replica holds it, the run stops, so runs on several replicas do not
 * double the load. None of the DELETEs ever matches a pending or in_flight delivery, and none waits for a row another
 * transaction holds (SKIP LOCKED): the dispatcher is never blocked by a retention run. The statements are in
 * {@code src/main/resources/sql/retention/}, each with the index that serves it and what a batch of 1,000 measured.
 * This class is threadsafe.
 */
@ApplicationScoped
@Startup // loads its statements at start-up: a missing file fails the start, not the first run an hour later
public class Retention {
    private static final Logger LOG = Logger.getLogger(Retention.class);

    /**
     * Key of the advisory lock that lets one replica at a time run retention: "hook" in ASCII, then job number 1.
     * Another job that needs its own lock takes the next number.
     */
    static final long LOCK_KEY = 0x686F6F6B_00000001L;

    static final Sql TRY_LOCK = Sql.load("retention/try-lock.sql");
    static final Sql DELETE_SUCCEEDED = Sql.load("retention/delete-succeeded.sql");
    static final Sql DELETE_FAILED = Sql.load("retention/delete-failed.sql");
    static final Sql DELETE_ORPHANED_EVENTS = Sql.load("retention/delete-orphaned-events.sql");
    static final Sql DELETE_FINISHED_REQUESTS = Sql.load("retention/delete-finished-requests.sql");
    static final Sql DELETE_DELETED_SOURCES = Sql.load("retention/delete-deleted-sources.sql");

    /** What one run deleted; {@code ran} is false when another replica held the lock. */
    public record Purged(boolean ran, long succeeded, long failed, long events, boolean budgetSpent) {
        static final Purged SKIPPED = new Purged(false, 0, 0, 0, false);

        public long total() {
            return succeeded + failed + events;
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    HooklineConfig config;

    /** One run with the configured batch size and time budget, judging ages as of {@code now}. */
    public Purged purge(Instant now) throws SQLException {
        HooklineConfig.Retention r = config.retention();
        return purge(now, r.batchSize(), r.timeBudget());
    }

    Purged purge(Instant now, int batchSize, Duration budget) throws SQLException {
        HooklineConfig.Retention r = config.retention();
        Instant succeededBefore = now.minus(r.succeeded());
        Instant failedBefore = now.minus(r.failed());
        Instant eventsBefore = succeededBefore.isBefore(failedBefore) ? succeededBefore : failedBefore;
        // the budget is elapsed time on this machine, not a point in the data's time, so it uses the monotonic clock
        Run run = new Run(batchSize, System.nanoTime(), budget.toNanos());
        // Orphaned events go first, so an event whose last delivery is deleted below is deleted one run later, not
        // seconds later: a redeliver that read that delivery just before it went has long committed its new delivery
        // by then, and the event is no longer an orphan.
        long events = run.drain(DELETE_ORPHANED_EVENTS, eventsBefore);
        long succeeded = run.drain(DELETE_SUCCEEDED, succeededBefore);
        long failed = run.drain(DELETE_FAILED, failedBefore);
        // the ingest log of inbound sources (its own age, hookline.ingest.log-retention)
        Instant ingestBefore = now.minus(config.ingest().logRetention());
        long ingestLog =
                run.drain(DELETE_FINISHED_REQUESTS, ingestBefore) + run.drain(DELETE_DELETED_SOURCES, ingestBefore);
        if (ingestLog > 0) {
            LOG.infof("Retention deleted %d ingest log entries and deleted sources", ingestLog);
        }
        if (run.lockTaken && events + succeeded + failed + ingestLog == 0) {
            LOG.debug("Retention skipped: another replica is running it");
            return Purged.SKIPPED;
        }
        Purged purged = new Purged(true, succeeded, failed, events, run.budgetSpent);
        if (purged.total() > 0) {
            LOG.infof(
                    "Retention deleted %d succeeded and %d failed or cancelled deliveries (with their attempts) and "
                            + "%d orphaned events in %d ms%s",
                    succeeded,
                    failed,
                    events,
                    run.elapsedMillis(),
                    run.budgetSpent ? "; the time budget is spent, the next run goes on" : "");
        }
        return purged;
    }

    /** The state of one run: stops for good once the lock is taken elsewhere or the budget is spent. */
    private final class Run {
        final int batchSize;
        final long startNanos;
        final long budgetNanos;
        boolean lockTaken;
        boolean budgetSpent;

        Run(int batchSize, long startNanos, long budgetNanos) {
            this.batchSize = batchSize;
            this.startNanos = startNanos;
            this.budgetNanos = budgetNanos;
        }

        /** Deletes batches of {@code sql} until one comes back short; returns the rows deleted. */
        long drain(Sql sql, Instant cutoff) throws SQLException {
            long total = 0;
            while (!lockTaken && !budgetSpent) {
                int deleted = batch(sql, cutoff, batchSize);
                if (deleted < 0) {
                    lockTaken = true;
                    break;
                }
                total += deleted;
                budgetSpent = System.nanoTime() - startNanos >= budgetNanos;
                if (deleted < batchSize) {
                    break;
                }
            }
            return total;
        }

        long elapsedMillis() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }
    }

    /** One batch in its own transaction; -1 when the advisory lock is held elsewhere (nothing deleted). */
    private int batch(Sql sql, Instant cutoff, int limit) throws SQLException {
        return Transactions.run(dataSource, c -> {
            if (!tryLock(c)) {
                return -1;
            }
            try (Prepared ps = sql.prepare(c)) {
                return ps.set("cutoff", cutoff).set("limit", limit).executeUpdate();
            }
        });
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (Prepared ps = TRY_LOCK.prepare(c);
                ResultSet rs = ps.set("lock_key", LOCK_KEY).executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
