package io.hookline.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One webhook's requests on this replica: how many are on the wire, which claims wait for their turn, and how fast the
 * endpoint answers (a moving average). What happens to a claim beyond the in-flight limit depends on that speed: a
 * fast endpoint keeps a few at hand (no round trip to the queue for the next one), a slow one (slower than
 * {@value #FAST_MILLIS} ms) gets them deferred, so ten slow endpoints cannot fill the replica's slots and starve the
 * healthy ones. A lane whose last request ended is retired: the caller drops it and makes a new one next time.
 * <p>
 * This class is threadsafe (each method holds the lane's monitor).
 *
 * @param <T> what waits for its turn (the dispatcher's claim with its keys)
 */
final class Lane<T> {
    static final long FAST_MILLIS = 250;

    /** What to do with a claim offered to the lane. */
    sealed interface Admission {
        /** Send it now: a slot of the lane is taken for it. */
        record Start() implements Admission {}

        /** Kept at hand: {@link #finish} hands it out when a request of the lane ends. */
        record Queued() implements Admission {}

        /** Give it back to the queue, due again after {@code delay}. */
        record Defer(Duration delay) implements Admission {}

        /** The lane was retired meanwhile: offer it to a new lane. */
        record Retired() implements Admission {}
    }

    private int active;
    private boolean retired;
    private double averageMillis = -1;
    private final ArrayDeque<T> waiting = new ArrayDeque<>();

    synchronized Admission admit(T item, int limit) {
        if (retired) {
            return new Admission.Retired();
        }
        if (active < limit) {
            active++;
            return new Admission.Start();
        }
        if (fast() && waiting.size() < limit) {
            waiting.add(item);
            return new Admission.Queued();
        }
        return new Admission.Defer(deferral());
    }

    /**
     * A request of the lane ended after {@code durationMillis} (null when nothing was sent). Returns the waiting claim
     * that takes its slot, or null: the slot is free, and the lane is retired once none is taken.
     */
    synchronized T finish(Integer durationMillis) {
        if (durationMillis != null) {
            averageMillis = averageMillis < 0 ? durationMillis : 0.8 * averageMillis + 0.2 * durationMillis;
        }
        T next = waiting.poll();
        if (next == null) {
            active--;
            retired = active == 0;
        }
        return next;
    }

    /** At its limit and slow: not worth claiming more for it now. */
    synchronized boolean saturated(int limit) {
        return active >= limit && !fast();
    }

    synchronized boolean retired() {
        return retired;
    }

    /** Takes every waiting claim out (when the dispatcher stops claiming). */
    synchronized List<T> drainWaiting() {
        List<T> drained = new ArrayList<>(waiting);
        waiting.clear();
        return drained;
    }

    private boolean fast() {
        return averageMillis < FAST_MILLIS;
    }

    /** About one response time, within 1 s to 30 s. */
    private Duration deferral() {
        return Duration.ofMillis(Math.max(1000, Math.min(30_000, (long) averageMillis)));
    }
}
