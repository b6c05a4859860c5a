package io.hookline.delivery.worker;

import io.hookline.config.HooklineConfig;
import io.hookline.delivery.DeliveryQueue;
import io.hookline.metrics.DeliveryMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The replica's delivery machinery and its lifecycle. In {@code scheduled} mode a {@link Worker} (dispatch loop and
 * recorder threads) and a {@link NotificationListener} run from start-up until SIGTERM, when the worker stops
 * gracefully within {@code hookline.dispatcher.shutdown-grace}. In {@code on-demand} mode nothing runs between calls of
 * {@link #drain}, so an idle replica makes no database traffic and can scale to zero.
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
    DeliveryMetrics metrics;

    @Inject
    Clock clock;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> user;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private volatile Worker worker;
    /** The worker of the drain in progress in on-demand mode; one drain at a time per replica. */
    private volatile Worker draining;

    private final ReentrantLock drainLock = new ReentrantLock();
    private volatile State state = State.STARTING;
    private NotificationListener listener;

    void start(@Observes StartupEvent event) {
        metrics.sendsInFlight(this::sending);
        if (!config.dispatcher().enabled()) {
            state = State.DISABLED;
            LOG.info("Dispatcher disabled (hookline.dispatcher.enabled=false): this replica only serves the API");
            return;
        }
        if (config.dispatcher().mode() == HooklineConfig.Dispatcher.Mode.ON_DEMAND) {
            state = State.ON_DEMAND;
            LOG.info("Dispatcher in on-demand mode: deliveries are sent while POST /v1/admin/dispatch runs");
            return;
        }
        Worker w = newWorker();
        listener = new NotificationListener(jdbcUrl, user.orElse(null), password.orElse(null), w::wake);
        Thread listening = new Thread(listener, "hookline-listener");
        listening.setDaemon(true);
        listening.start();
        worker = w.start("hookline");
        state = State.RUNNING;
        HooklineConfig.Delivery d = config.delivery();
        LOG.infof(
                "Dispatcher started: batch %d, at most %d in flight (%d per webhook), timeout %s, lease %s",
                config.dispatcher().batchSize(),
                d.maxInFlight(),
                d.maxInFlightPerWebhook(),
                d.timeout(),
                leaseDuration());
    }

    private Worker newWorker() {
        HooklineConfig.Delivery d = config.delivery();
        return new Worker(
                queue, secrets, attempts, clock, settings(), d.disableAfter(), d.disableAfterFailures(), metrics);
    }

    /** The dispatch settings of this replica, from configuration. */
    public DispatchLoop.Settings settings() {
        HooklineConfig.Delivery d = config.delivery();
        return new DispatchLoop.Settings(
                config.dispatcher().batchSize(),
                d.maxInFlight(),
                d.maxInFlightPerWebhook(),
                d.timeout(),
                leaseDuration());
    }

    /** How long a claim is held: the request timeout plus a margin for recording its result. */
    public Duration leaseDuration() {
        return config.delivery().timeout().plus(config.dispatcher().leaseMargin());
    }

    /** Where the replica's dispatcher stands: for the readiness check. */
    public State state() {
        return state;
    }

    /** Requests on the wire now, from the running worker or the drain in progress. */
    public int sending() {
        Worker current = worker != null ? worker : draining;
        return current == null ? 0 : current.loop().sending();
    }

    /** The fallback poll: returns expired leases to the queue and wakes the loop. Idle in on-demand mode. */
    @Scheduled(
            every = "${hookline.dispatcher.poll-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        Worker current = worker;
        if (current == null) {
            return;
        }
        sweep();
        current.wake();
    }

    private void sweep() {
        try {
            int swept = queue.sweepExpiredLeases(
                    clock.instant(), attempts.retryPolicy().maxAttempts());
            if (swept > 0) {
                LOG.infof("Returned %d deliveries with expired leases to the queue", swept);
            }
        } catch (SQLException e) {
            LOG.warnf("Lease sweep failed: %s", e.getMessage());
        }
    }

    /**
     * The dispatcher's lifecycle: starting → running → stopping → stopped in scheduled mode; starting → on-demand or
     * starting → disabled otherwise. {@link #value()} is what the readiness check shows.
     */
    public enum State {
        STARTING("starting"),
        RUNNING("running"),
        ON_DEMAND("on-demand"),
        DISABLED("disabled"),
        STOPPING("stopping"),
        STOPPED("stopped");

        private final String value;

        State(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    /** What one drain did. */
    public record Drain(long recorded, boolean queueEmpty, long durationMs) {}

    /** Why a drain cannot run on this replica now. */
    public static class DrainRefused extends RuntimeException {
        public DrainRefused(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Sends due deliveries until none is due or {@code max} has passed, then returns. In on-demand mode a worker runs
     * for the drain only and stops gracefully before this returns; in scheduled mode the running worker is woken and
     * watched.
     */
    public Drain drain(Duration max) {
        if (!config.dispatcher().enabled()) {
            throw new DrainRefused("the dispatcher is disabled on this replica (hookline.dispatcher.enabled=false)");
        }
        // one drain per replica: two at once would double the in-flight limits a webhook sees
        if (!drainLock.tryLock()) {
            throw new DrainRefused("a dispatch is already running on this replica");
        }
        try {
            return drainLocked(max);
        } finally {
            drainLock.unlock();
        }
    }

    private Drain drainLocked(Duration max) {
        Instant start = clock.instant();
        Instant deadline = start.plus(max);
        sweep();
        Worker running = worker;
        Worker w = running != null ? running : newWorker().start("hookline-drain");
        if (running == null) {
            draining = w;
        }
        long before = w.recorded();
        long emptyBefore = w.emptyClaims();
        boolean empty = false;
        try {
            while (clock.instant().isBefore(deadline)) {
                // over when a claim made after the start found nothing due and nothing is left in flight
                if (w.emptyClaims() > emptyBefore && w.idle()) {
                    empty = true;
                    break;
                }
                w.wake();
                pause();
            }
        } finally {
            if (running == null) {
                w.stop(config.dispatcher().shutdownGrace());
                draining = null;
            }
        }
        return new Drain(
                w.recorded() - before,
                empty,
                Duration.between(start, clock.instant()).toMillis());
    }

    void stop(@Observes ShutdownEvent event) {
        Worker current = worker;
        if (current == null) {
            return;
        }
        state = State.STOPPING;
        worker = null;
        listener.stop();
        current.stop(config.dispatcher().shutdownGrace());
        state = State.STOPPED;
        LOG.info("Dispatcher stopped");
    }

    public void wake() {
        Worker current = worker;
        if (current != null) {
            current.wake();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
