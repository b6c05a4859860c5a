package io.hookline.retention;

import io.hookline.config.HooklineConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Runs {@link Retention} every {@code hookline.retention.interval} (default 1h) on every replica where
 * {@code hookline.retention.enabled}; the advisory lock makes all but one of them skip. A failed run is logged and
 * retried at the next interval.
 */
@ApplicationScoped
public class RetentionJob {
    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    @Inject
    Retention retention;

    @Inject
    HooklineConfig config;

    @Inject
    Clock clock;

    void check(@Observes StartupEvent event) {
        validate(config.retention());
    }

    @Scheduled(
            identity = "hookline-retention",
            every = "${hookline.retention.interval:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        if (!config.retention().enabled()) {
            return;
        }
        try {
            retention.purge(clock.instant());
        } catch (SQLException e) {
            LOG.warnf(
                    "Retention run failed, retried in %s: %s",
                    config.retention().interval(), e.getMessage());
        }
    }

    /** The rules of the retention keys; the message names the key at fault. */
    static void validate(HooklineConfig.Retention r) {
        require(
                r.interval().compareTo(Duration.ofSeconds(1)) >= 0,
                "hookline.retention.interval must be at least 1s (the scheduler's resolution), was " + r.interval());
        require(
                r.succeeded().compareTo(Duration.ZERO) > 0,
                "hookline.retention.succeeded must be > 0, was " + r.succeeded());
        require(r.failed().compareTo(Duration.ZERO) > 0, "hookline.retention.failed must be > 0, was " + r.failed());
        require(r.batchSize() >= 1, "hookline.retention.batch-size must be >= 1, was " + r.batchSize());
        require(
                r.timeBudget().compareTo(Duration.ZERO) > 0,
                "hookline.retention.time-budget must be > 0, was " + r.timeBudget());
    }

    private static void require(boolean rule, String message) {
        if (!rule) {
            throw new IllegalStateException(message);
        }
    }
}
