package io.hookline.delivery.worker;

import io.hookline.config.HooklineConfig;
import io.hookline.delivery.DeliveryQueue;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The replica's delivery machinery and its lifecycle: a {@link Worker} (dispatch loop and recorder threads) and a
 * {@link NotificationListener} thread, started with the application and stopped gracefully on SIGTERM (see
 * {@link Worker#stop}) within {@code hookline.dispatcher.shutdown-grace}.
 */
@ApplicationScoped
public class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    @Inject
    HooklineConfig config;
    @Inject
    DeliveryQueue queue;
    @Inject
    SecretStore secrets;
    @Inject
    Attempts attempts;
    @Inject
    Clock clock;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    java.util.Optional<String> user;
    @ConfigProperty(name = "quarkus.datasource.password")
    java.util.Optional<String> password;

    private volatile Worker worker;
    private NotificationListener listener;

    void start(@Observes StartupEvent event) {
        if (!config.dispatcher().enabled()) {
            LOG.info("Dispatcher disabled (hookline.dispatcher.enabled=false): this replica only serves the API");
            return;
        }
        HooklineConfig.Delivery d = config.delivery();
        HooklineConfig.Dispatcher p = config.dispatcher();
        Worker w = new Worker(queue, secrets, attempts, clock, settings(), d.disableAfter(), d.disableAfterFailures());
        listener = new NotificationListener(jdbcUrl, user.orElse(null), password.orElse(null), w::wake);
        Thread listening = new Thread(listener, "hookline-listener");
        listening.setDaemon(true);
        listening.start();
        worker = w.start("hookline");
        LOG.infof("Dispatcher started: batch %d, at most %d in flight (%d per webhook), timeout %s, lease %s",
                p.batchSize(), d.maxInFlight(), d.maxInFlightPerWebhook(), d.timeout(), leaseDuration());
    }

    /** The dispatch settings of this replica, from configuration. */
    public DispatchLoop.Settings settings() {
        HooklineConfig.Delivery d = config.delivery();
        return new DispatchLoop.Settings(config.dispatcher().batchSize(), d.maxInFlight(), d.maxInFlightPerWebhook(),
                d.timeout(), leaseDuration());
    }

    /** How long a claim is held: the request timeout plus a margin for recording its result. */
    public Duration leaseDuration() {
        return config.delivery().timeout().plus(config.dispatcher().leaseMargin());
    }

    /** The fallback poll: returns expired leases to the queue and wakes the loop. */
    @Scheduled(every = "${hookline.dispatcher.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        Worker current = worker;
        if (current == null) {
            return;
        }
        try {
            int swept = queue.sweepExpiredLeases(clock.instant(), attempts.retryPolicy().maxAttempts());
            if (swept > 0) {
                LOG.infof("Returned %d deliveries with expired leases to the queue", swept);
            }
        } catch (SQLException e) {
            LOG.warnf("Lease sweep failed: %s", e.getMessage());
        }
        current.wake();
    }

    void stop(@Observes ShutdownEvent event) {
        Worker current = worker;
        if (current == null) {
            return;
        }
        worker = null;
        listener.stop();
        current.stop(config.dispatcher().shutdownGrace());
        LOG.info("Dispatcher stopped");
    }

    public void wake() {
        Worker current = worker;
        if (current != null) {
            current.wake();
        }
    }
}
