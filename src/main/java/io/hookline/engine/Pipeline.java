package io.hookline.engine;

import io.hookline.queue.DeliveryQueue;
import io.hookline.send.Attempts;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * A dispatch loop and its recorder, each on its own thread: what one replica runs. Stopping is graceful: stop
 * claiming, give back the claims not started, let the requests in flight finish within the grace, write every
 * result, then end the threads.
 */
public class Pipeline {
    private static final Logger LOG = Logger.getLogger(Pipeline.class);

    private final Claimer loop;
    private final Recorder recorder;
    private Thread loopThread;
    private Thread recorderThread;

    public Pipeline(
            DeliveryQueue queue,
            SecretStore secrets,
            Attempts attempts,
            Clock clock,
            Claimer.Settings settings,
            Duration disableAfter,
            int disableAfterFailures,
            DeliveryMetrics metrics) {
        this.recorder = new Recorder(queue, clock, disableAfter, disableAfterFailures, metrics);
        this.loop = new Claimer(queue, secrets, attempts, recorder, clock, System::nanoTime, settings, metrics);
    }

    public Pipeline start(String name) {
        recorderThread = daemon(recorder, name + "-recorder");
        loopThread = daemon(loop, name + "-claimer");
        return this;
    }

    public void wake() {
        loop.wake();
    }

    public Claimer loop() {
        return loop;
    }

    /** Outcomes this worker has written. */
    public long recorded() {
        return recorder.recorded();
    }

    /** Holds no claim and has nothing left to write. */
    public boolean idle() {
        return loop.held() == 0 && recorder.idle();
    }

    public long emptyClaims() {
        return loop.emptyClaims();
    }

    /** @return how many claims were still in flight when the grace ran out (their leases will expire) */
    public int stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        loop.stopClaiming();
        join(loopThread, grace);
        while (loop.held() > 0 && System.nanoTime() < deadline) {
            pause();
        }
        int abandoned = loop.held();
        if (abandoned > 0) {
            LOG.warnf(
                    "Shutdown grace of %s over with %d deliveries still in flight; their leases will expire and "
                            + "another replica will send them again",
                    grace, abandoned);
        }
        recorder.stop(
                Duration.ofNanos(Math.max(0, deadline - System.nanoTime())).plusSeconds(2));
        join(recorderThread, Duration.ofSeconds(5));
        return abandoned;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t, Duration max) {
        try {
            t.join(Math.max(1, max.toMillis()));
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
