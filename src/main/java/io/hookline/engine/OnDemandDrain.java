package io.hookline.engine;

import io.hookline.config.HooklineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A drain: send due deliveries until none is due or a time limit has passed, then return. It is how
 * {@code hookline.dispatcher.mode=on-demand} (scale to zero) sends anything: {@code POST /v1/admin/dispatch}, called by
 * a cron trigger, runs one. In on-demand mode a pipeline runs for the drain only and stops gracefully before the call
 * returns; in scheduled mode the running pipeline is woken and watched. One drain at a time per replica: two at once
 * would double the in-flight limits a webhook sees.
 */
@ApplicationScoped
public class OnDemandDrain {

    @Inject
    Dispatcher dispatcher;

    @Inject
    HooklineConfig config;

    @Inject
    Clock clock;

    private final ReentrantLock lock = new ReentrantLock();

    /** What one drain did. */
    public record Result(long recorded, boolean queueEmpty, long durationMs) {}

    /** Why a drain cannot run on this replica now. */
    public static class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** @throws Refused when the dispatcher is disabled here or a drain is already running */
    public Result drain(Duration max) {
        if (!config.dispatcher().enabled()) {
            throw new Refused("the dispatcher is disabled on this replica (hookline.dispatcher.enabled=false)");
        }
        if (!lock.tryLock()) {
            throw new Refused("a dispatch is already running on this replica");
        }
        try {
            return drainLocked(max);
        } finally {
            lock.unlock();
        }
    }

    private Result drainLocked(Duration max) {
        Instant start = clock.instant();
        Instant deadline = start.plus(max);
        dispatcher.sweep();
        Pipeline running = dispatcher.running();
        Pipeline p = running != null ? running : dispatcher.newPipeline().start("hookline-drain");
        if (running == null) {
            dispatcher.draining = p;
        }
        long before = p.recorded();
        long emptyBefore = p.emptyClaims();
        boolean empty = false;
        try {
            while (clock.instant().isBefore(deadline)) {
                // over when a claim made after the start found nothing due and nothing is left in flight
                if (p.emptyClaims() > emptyBefore && p.idle()) {
                    empty = true;
                    break;
                }
                p.wake();
                pause();
            }
        } finally {
            if (running == null) {
                p.stop(config.dispatcher().shutdownGrace());
                dispatcher.draining = null;
            }
        }
        return new Result(
                p.recorded() - before,
                empty,
                Duration.between(start, clock.instant()).toMillis());
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
