package io.hookline.engine;

import io.hookline.config.DeliveryLimits;
import io.hookline.config.HooklineConfig;
import io.hookline.queue.DeliveryQueue;
import io.hookline.send.Attempts;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The replica's delivery machinery and its lifecycle. In {@code scheduled} mode a {@link Pipeline} (dispatch loop and
 * recorder threads) and a {@link NotificationListener} run from start-up until SIGTERM, when the pipeline stops
 * gracefully within {@code hookline.dispatcher.shutdown-grace}. In {@code on-demand} mode nothing runs between calls of
 * {@link OnDemandDrain#drain}, so an idle replica makes no database traffic and can scale to zero.
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

    private volatile Pipeline pipeline;
    /** The pipeline of the drain in progress in on-demand mode (see {@link OnDemandDrain}). */
    volatile Pipeline draining;

    private volatile State state = State.STARTING;
    private NotificationListener listener;

    void start(@Observes StartupEvent event) {
        metrics.sendsInFlight(this::sending);
        metrics.endpointLimits(this::lanes);
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
        Pipeline w = newPipeline();
        listener = new NotificationListener(jdbcUrl, user.orElse(null), password.orElse(null), w::wake);
        Thread listening = new Thread(listener, "hookline-listener");
        listening.setDaemon(true);
        listening.start();
        pipeline = w.start("hookline");
        state = State.RUNNING;
        HooklineConfig.Delivery d = config.delivery();
        if (d.maxInFlightPerWebhook().isPresent()
                && d.maxConcurrencyPerWebhook().isEmpty()) {
            LOG.warnf(
                    "hookline.delivery.max-in-flight-per-webhook is deprecated: its value %d is used as the ceiling of "
                            + "each webhook's adaptive concurrency limit; set hookline.delivery.max-concurrency-per-webhook "
                            + "instead",
                    d.maxInFlightPerWebhook().get());
        }
        LOG.infof(
                "Dispatcher started: batch %d, at most %d in flight, per webhook an adaptive limit from %d up to %d, "
                        + "timeout %s, lease %s",
                config.dispatcher().batchSize(),
                d.maxInFlight(),
                DeliveryLimits.initial(d),
                DeliveryLimits.ceiling(d),
                d.timeout(),
                leaseDuration());
    }

    /** A pipeline with this replica's settings, not started. */
    Pipeline newPipeline() {
        HooklineConfig.Delivery d = config.delivery();
        return new Pipeline(
                queue, secrets, attempts, clock, settings(), d.disableAfter(), d.disableAfterFailures(), metrics);
    }

    /** The dispatch settings of this replica, from configuration. */
    public Claimer.Settings settings() {
        HooklineConfig.Delivery d = config.delivery();
        return new Claimer.Settings(
                config.dispatcher().batchSize(),
                d.maxInFlight(),
                DeliveryLimits.initial(d),
                DeliveryLimits.ceiling(d),
                d.timeout(),
                leaseDuration());
    }

    /** How long a claim is held: the request timeout plus a margin for recording its result. */
    public Duration leaseDuration() {
        return queue.leaseDuration();
    }

    /** Where the replica's dispatcher stands: for the readiness check. */
    public State state() {
        return state;
    }

    /** Requests on the wire now, from the running pipeline or the drain in progress. */
    public int sending() {
        Pipeline current = pipeline != null ? pipeline : draining;
        return current == null ? 0 : current.loop().sending();
    }

    /** The endpoints' lanes of the running pipeline or the drain in progress, for the metrics. */
    DeliveryMetrics.Lanes lanes() {
        Pipeline current = pipeline != null ? pipeline : draining;
        return current == null ? DeliveryMetrics.Lanes.NONE : current.loop().lanes();
    }

    /** The fallback poll: returns expired leases to the queue and wakes the loop. Idle in on-demand mode. */
    @Scheduled(
            every = "${hookline.dispatcher.poll-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        Pipeline current = pipeline;
        if (current == null) {
            return;
        }
        sweep();
        current.wake();
    }

    /** Returns deliveries whose lease expired to the queue. */
    void sweep() {
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

    void stop(@Observes ShutdownEvent event) {
        Pipeline current = pipeline;
        if (current == null) {
            return;
        }
        state = State.STOPPING;
        pipeline = null;
        listener.stop();
        current.stop(config.dispatcher().shutdownGrace());
        state = State.STOPPED;
        LOG.info("Dispatcher stopped");
    }

    /** The pipeline running in scheduled mode, or null. */
    Pipeline running() {
        return pipeline;
    }

    public void wake() {
        Pipeline current = pipeline;
        if (current != null) {
            current.wake();
        }
    }
}
