package io.hookline.retention;

import io.hookline.config.HooklineConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Runs {@link Retention} every {@code hookline.retention.interval} (default 1h) on every replica where
 * {@code hookline.retention.enabled}; the advisory lock makes all but one of them skip. A failed run is logged and
 * retried at the next interval. The keys' rules are constraints on {@link HooklineConfig.Retention}.
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
}
