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
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The replica's delivery machinery and its lifecycle: a {@link DispatchLoop} thread, a {@link Recorder} thread and a
 * {@link NotificationListener} thread, started with the application and stopped gracefully on SIGTERM: stop claiming,
 * give waiting claims back, let in-flight requests finish within the shutdown grace, record their results.
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

    private volatile DispatchLoop loop;
    private Recorder recorder;
    private NotificationListener listener;
    private Thread loopThread;
    private Thread recorderThread;

    void start(@Observes StartupEvent event) {
        if (!config.dispatcher().enabled()) {
            LOG.info("Dispatcher disabled (hookline.dispatcher.enabled=false): this replica only serves the API");
            return;
        }
        HooklineConfig.Delivery d = config.delivery();
        HooklineConfig.Dispatcher p = config.dispatcher();
        recorder = new Recorder(queue, clock, d.disableAfter(), d.disableAfterFailures());
        loop = new DispatchLoop(queue, secrets, attempts, recorder, clock, new DispatchLoop.Settings(p.batchSize(),
                d.maxInFlight(), d.maxInFlightPerWebhook(), d.timeout(), leaseDuration()));
        listener = new NotificationListener(jdbcUrl, user.orElse(null), password.orElse(null), loop::wake);
        recorderThread = daemon(recorder, "hookline-recorder");
        loopThread = daemon(loop, "hookline-dispatcher");
        daemon(listener, "hookline-listener");
        LOG.infof("Dispatcher started: batch %d, at most %d in flight (%d per webhook), timeout %s, lease %s",
                p.batchSize(), d.maxInFlight(), d.maxInFlightPerWebhook(), d.timeout(), leaseDuration());
    }

    /** How long a claim is held: the request timeout plus a margin for recording its result. */
    public Duration leaseDuration() {
        return config.delivery().timeout().plus(config.dispatcher().leaseMargin());
    }

    /** The fallback poll: returns expired leases to the queue and wakes the loop. */
    @Scheduled(every = "${hookline.dispatcher.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        DispatchLoop current = loop;
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
        DispatchLoop current = loop;
        if (current == null) {
            return;
        }
        Duration grace = config.dispatcher().shutdownGrace();
        Instant deadline = clock.instant().plus(grace);
        current.stopClaiming();
        listener.stop();
        join(loopThread, Duration.ofSeconds(5));
        while (current.held() > 0 && clock.instant().isBefore(deadline)) {
            pause();
        }
        if (current.held() > 0) {
            LOG.warnf("Shutdown grace of %s over with %d deliveries still in flight; their leases will expire and "
                    + "another replica will send them again", grace, current.held());
        }
        recorder.stop(Duration.between(clock.instant(), deadline).plusSeconds(2));
        join(recorderThread, Duration.ofSeconds(5));
        loop = null;
        LOG.info("Dispatcher stopped");
    }

    public void wake() {
        DispatchLoop current = loop;
        if (current != null) {
            current.wake();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t, Duration max) {
        try {
            t.join(max.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
