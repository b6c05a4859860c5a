package io.hookline.engine;

import io.hookline.engine.EndpointSignals.Drop;
import io.hookline.engine.EndpointSignals.Sample;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One webhook's requests on this replica: how many are on the wire, which claims wait for their turn, how fast the
 * endpoint answers, and its concurrency limit, which moves with what the endpoint shows.
 * <p>
 * <b>The limit.</b> Additive increase, multiplicative decrease, computed by the concurrency-limits library's
 * {@code AIMDLimit} (held by {@link EndpointSignals}) (evaluated against its {@code Gradient2Limit}, which ignores drops in 0.4.1: a 429 answered in
 * 2 ms would look like a fast success and grow the limit). Each answer that is 2xx and not slower than usual adds one
 * while the lane uses at least half its limit; a drop halves it, once per round trip (drops of requests that started
 * before the last cut are not counted again, as TCP does). Drops are: a timeout, 429, 503, a refused or reset
 * connection, and rising latency (the short average above {@value EndpointSignals#LATENCY_TOLERANCE} times the long one plus
 * {@value EndpointSignals#LATENCY_SLACK_MILLIS} ms). Other failures (4xx, 500, TLS…) say nothing about load and leave it alone. The
 * limit stays within 1 and the replica's ceiling, and within the webhook's own {@code maxConcurrency}.
 * <p>
 * <b>Slow endpoints.</b> A 200 after 5 s is a success, yet more requests in flight to that endpoint buy little (Little's
 * law: 16 in flight at 5 s is about 3 deliveries/s) and hold the replica's slots for long. So an endpoint whose usual
 * answer (the long average) takes {@value #FAST_MILLIS} ms or more, or that has had requests on the wire for that long
 * without any answer, gets at most the initial limit, and its slow successes do not grow the limit. The second test
 * matters for an endpoint that was fast and stops answering: until its first slow answer, its averages still say 1 ms.
 * <p>
 * <b>Share.</b> The dispatcher sets each lane's share of the replica's slots before each claim ({@link Lanes}): the
 * lane takes no more claims than that, on the wire and waiting together, and gives back waiting ones when its share
 * shrinks and it {@link #holdsLong() holds slots long} (slow by its usual answer, or no answer for
 * {@value #SILENT_MILLIS} ms; a fast lane over its share just takes no more until its requests end).
 * <p>
 * <b>Retry-After.</b> A 429 or 503 with {@code Retry-After} pauses the lane (at most {@link EndpointSignals#MAX_PAUSE}): nothing
 * starts before then, the claims waiting here are given back due at the pause's end, and {@link #room()} is 0, so
 * the dispatcher claims nothing for it meanwhile.
 * <p>
 * <b>Claims at hand.</b> Beyond its limit a lane takes as many claims as it can start within the horizon (about
 * 1 s), estimated from its limit and response time (the short average, or how long its requests have gone
 * unanswered if longer): a 1 ms endpoint takes many (no round trip to the queue for the next one), a 5 s endpoint few;
 * before its first answer, as many as its limit. {@link #room()} says how many
 * more it takes, and the claim asks for no more. Claims held that can no longer start within {@code keep} (half the
 * lease margin) are given back (due at once for a fast or new endpoint; after about one response time, 1 to 30 s,
 * for a slow one).
 * <p>
 * Time comes from the given nanosecond source, so the lane is deterministic under test. A lane idle for a while is
 * retired: the caller drops it, and a new one starts from the initial limit. This class is threadsafe (each method
 * holds the lane's monitor).
 *
 * @param <T> what waits for its turn (the dispatcher's claim with its keys)
 */
final class Lane<T> {
    static final long FAST_MILLIS = 250;
    /**
     * No answer for this long, with requests on the wire: the endpoint, not a pause of this busy replica (a GC, a
     * starved event loop), which would otherwise make a fast endpoint look silent and give its share away.
     */
    static final long SILENT_MILLIS = 1000;

    /**
     * Where a lane's limit starts and how far it may grow (the replica's ceiling), how many claims one lane may hold
     * waiting at most (the replica's {@code max-in-flight}), what "soon" means for taking a claim ({@code horizon}),
     * and how long a claim already held may wait before it goes back ({@code keep}, longer: a lane whose answers slow
     * down a little does not hand back claims it took a moment ago).
     */
    record Limits(int initial, int ceiling, int maxWaiting, Duration horizon, Duration keep) {
        Limits {
            if (ceiling < 1 || initial < 1 || maxWaiting < 0) {
                throw new IllegalArgumentException("initial and ceiling must be >= 1, maxWaiting >= 0");
            }
            if (keep.compareTo(horizon) < 0) {
                throw new IllegalArgumentException("keep must be at least the horizon");
            }
            initial = Math.min(initial, ceiling);
        }

        /** The room of a lane that has not seen an answer yet: its initial limit, and as many again waiting. */
        int freshRoom() {
            return initial + Math.min(initial, maxWaiting);
        }
    }

    /** What to do with a claim offered to the lane. */
    sealed interface Admission {
        /** Send it now: a slot of the lane is taken for it. */
        record Start() implements Admission {}

        /** Kept at hand: {@link #finish} hands it out when a request of the lane ends. */
        record Queued() implements Admission {}

        /** Give it back to the queue, due again after {@code delay} (zero: at once). */
        record Defer(Duration delay, boolean paused) implements Admission {}

        /** The lane was retired meanwhile: offer it to a new lane. */
        record Retired() implements Admission {}
    }

    /**
     * What follows a finished request: the waiting claims to start now (in order), those to give back (after
     * {@code giveBackAfter}, zero meaning at once; {@code paused} when the lane is paused), and whether and why the
     * limit was cut.
     */
    record Finished<T>(List<T> start, List<T> giveBack, Duration giveBackAfter, boolean paused, Drop cut) {}

    private final Limits limits;
    private final LongSupplier nanoTime;
    private final EndpointSignals signals;
    private final ArrayDeque<T> waiting = new ArrayDeque<>();
    private int active;
    private boolean retired;
    private Integer customerCap;
    private long lastUsedNanos;
    /** When the lane last went from nothing on the wire to something, and when a request of it last ended. */
    private long busySinceNanos;

    private long lastFinishNanos;
    /** The most claims (on the wire and waiting) the lane may hold: its share of the replica's slots. */
    private int share = Integer.MAX_VALUE;

    Lane(Limits limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.nanoTime = nanoTime;
        this.signals = new EndpointSignals(limits.initial(), limits.ceiling());
        this.lastUsedNanos = nanoTime.getAsLong();
        this.lastFinishNanos = lastUsedNanos;
    }

    /**
     * Offers a claim.
     *
     * @param cap the webhook's own {@code maxConcurrency} as the claim saw it, or null (none)
     */
    synchronized Admission admit(T item, Integer cap) {
        if (retired) {
            return new Admission.Retired();
        }
        long now = nanoTime.getAsLong();
        lastUsedNanos = now;
        customerCap = cap;
        if (pausedAt(now)) {
            return new Admission.Defer(signals.pauseLeft(now), true);
        }
        if (active < limit()) {
            started(now);
            return new Admission.Start();
        }
        // the claim asked for no more than room() (what starts within the horizon); if the limit was cut since, the
        // claim is still kept while it can start within the keep time rather than sent back and forth
        if (waiting.size() < Math.min(keepCap(), shareLeft())) {
            waiting.add(item);
            return new Admission.Queued();
        }
        return new Admission.Defer(deferral(), false);
    }

    /** A request of the lane ended: adjusts the limit and says which claims start or go back now. */
    synchronized Finished<T> finish(Sample sample) {
        long now = nanoTime.getAsLong();
        lastUsedNanos = now;
        int inFlight = active;
        Drop cut = signals.learn(sample, inFlight, now, quietMillis(now));
        lastFinishNanos = now;
        List<T> back = List.of();
        Duration backAfter = Duration.ZERO;
        boolean isPaused = pausedAt(now);
        if (isPaused) {
            back = new ArrayList<>(waiting);
            waiting.clear();
            backAfter = signals.pauseLeft(now);
        } else {
            // learned that it is slower than it looked, or its share shrank: keep only what starts in time
            back = overflow();
            backAfter = deferral();
        }
        active--;
        List<T> start = new ArrayList<>();
        while (!isPaused && active < limit() && !waiting.isEmpty()) {
            start.add(waiting.poll());
            started(now);
        }
        return new Finished<>(start, back, backAfter, isPaused, cut);
    }

    /**
     * Takes out the waiting claims the lane can no longer start in time or hold within its share (the dispatcher
     * calls it before each claim, so a lane whose requests hang gives back what it took, without waiting for an
     * answer). Nothing while paused: the pause already gave its claims back.
     */
    synchronized Trimmed<T> trim() {
        if (pausedAt(nanoTime.getAsLong())) {
            return new Trimmed<>(List.of(), Duration.ZERO, false);
        }
        boolean overShare = active + waiting.size() > share && holdsLong(nanoTime.getAsLong());
        List<T> back = overflow();
        // given back for the others' sake: due at once (this lane's room is 0, so the claim takes the others' first)
        Duration after = back.isEmpty() || overShare ? Duration.ZERO : deferral();
        return new Trimmed<>(back, after, overShare);
    }

    /** Claims given back by {@link #trim}: after {@code after} (zero: at once); {@code overShare} if for the share. */
    record Trimmed<T>(List<T> back, Duration after, boolean overShare) {}

    /**
     * How many claims the lane keeps waiting: what starts within {@code keep} (half the lease margin: a lane that
     * slows down a little does not hand back what it took a moment ago).
     */
    private int keepCap() {
        return waitCap(limits.keep());
    }

    /**
     * Waiting claims beyond what the lane keeps, newest first out, in their order. Those beyond its share go too if
     * it holds slots long; a fast endpoint over its share (others came) keeps them, as they start within moments, and
     * takes no more until it is within its share again: no claims go back and forth as other endpoints come and go.
     */
    private List<T> overflow() {
        int keep = keepCap();
        if (holdsLong(nanoTime.getAsLong())) {
            keep = Math.min(keep, shareLeft());
        }
        if (waiting.size() <= keep) {
            return List.of();
        }
        List<T> extra = new ArrayList<>();
        while (waiting.size() > keep) {
            extra.add(0, waiting.pollLast());
        }
        return extra;
    }

    private void started(long now) {
        if (active == 0) {
            busySinceNanos = now;
        }
        active++;
    }

    /**
     * The limit in force: the adaptive one, within the customer's cap, the lane's share of the replica's slots and,
     * for a slow endpoint, the initial one.
     */
    synchronized int limit() {
        int limit = Math.min(signals.adaptiveLimit(), share);
        if (customerCap != null) {
            limit = Math.min(limit, customerCap);
        }
        if (slow(nanoTime.getAsLong())) {
            limit = Math.min(limit, limits.initial());
        }
        return Math.max(1, limit);
    }

    /** How many more claims the lane can take now or start soon, within its share; 0 while paused. */
    synchronized int room() {
        if (pausedAt(nanoTime.getAsLong())) {
            return 0;
        }
        int room = Math.max(0, limit() - active)
                + Math.max(0, Math.min(waitCap(limits.horizon()), shareLeft()) - waiting.size());
        return Math.min(room, Math.max(0, share - active - waiting.size()));
    }

    /**
     * Sets the most claims this lane may hold, on the wire and waiting (at least 1): its share of the replica's
     * slots, set by the dispatcher before each claim from how many endpoints hold claims then.
     */
    synchronized void share(int share) {
        this.share = Math.max(1, share);
    }

    /** The adaptive limit alone (the library's), before the caps of {@link #limit()}. */
    synchronized int adaptiveLimit() {
        return signals.adaptiveLimit();
    }

    /**
     * Whether the endpoint holds the replica's slots for long: its usual answer takes {@value #FAST_MILLIS} ms or more,
     * or it has had requests on the wire for {@value #SILENT_MILLIS} ms without an answer. Such a lane gives back its
     * waiting claims beyond its share ({@link #trim}).
     */
    synchronized boolean holdsLong() {
        return holdsLong(nanoTime.getAsLong());
    }

    private boolean holdsLong(long now) {
        return signals.holdsLong(quietMillis(now));
    }

    /** Claims the lane holds: on the wire and waiting. */
    synchronized int held() {
        return active + waiting.size();
    }

    synchronized boolean paused() {
        return pausedAt(nanoTime.getAsLong());
    }

    /** Retires the lane when it has held nothing for {@code idle}: the caller then drops it. */
    synchronized boolean retireIfIdle(Duration idle) {
        long now = nanoTime.getAsLong();
        if (!retired && active == 0 && waiting.isEmpty() && !pausedAt(now) && now - lastUsedNanos >= idle.toNanos()) {
            retired = true;
        }
        return retired;
    }

    synchronized boolean retired() {
        return retired;
    }

    /** Requests on the wire now. */
    synchronized int active() {
        return active;
    }

    /** Takes every waiting claim out (when the dispatcher stops claiming). */
    synchronized List<T> drainWaiting() {
        List<T> drained = new ArrayList<>(waiting);
        waiting.clear();
        return drained;
    }

    private boolean pausedAt(long now) {
        return signals.pausedAt(now);
    }

    /** Capped at the initial limit as slow ({@link EndpointSignals#slow}). */
    private boolean slow(long now) {
        return signals.slow(quietMillis(now));
    }

    /** How long the lane has had requests on the wire without any of them ending; 0 with nothing on the wire. */
    private double quietMillis(long now) {
        if (active == 0) {
            return 0;
        }
        return Math.min(now - busySinceNanos, now - lastFinishNanos) / 1e6;
    }

    /**
     * Claims the lane keeps waiting: what it can start within {@code within} (its limit over the response time, which
     * is at least how long its requests have gone without an answer), or its limit before its first answer.
     */
    private int waitCap(Duration within) {
        int limit = limit();
        double quiet = quietMillis(nanoTime.getAsLong());
        double shortMillis = signals.shortMillis();
        double cap = shortMillis < 0 ? Math.min(limit, limits.maxWaiting()) : limits.maxWaiting();
        double millis = Math.max(shortMillis, quiet);
        if (millis > 0) {
            cap = Math.min(cap, Math.floor(limit * (within.toMillis() / Math.max(1.0, millis))));
        }
        return (int) Math.max(0, cap);
    }

    /** What the lane's share leaves for waiting claims beside its requests on the wire. */
    private int shareLeft() {
        return Math.max(0, share - active);
    }

    /** Zero for a fast or new endpoint (the claim is due again at once); else about one response time, 1 to 30 s. */
    private Duration deferral() {
        if (!slow(nanoTime.getAsLong())) {
            return Duration.ZERO;
        }
        double millis = Math.max(signals.shortMillis(), quietMillis(nanoTime.getAsLong()));
        return Duration.ofMillis(Math.max(1000, Math.min(30_000, (long) millis)));
    }
}
