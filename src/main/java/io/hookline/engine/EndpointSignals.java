package io.hookline.engine;

import com.netflix.concurrency.limits.limit.AIMDLimit;
import io.hookline.store.ErrorClass;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What one endpoint's answers have shown so far, for its {@link Lane}: the adaptive concurrency limit (the library's
 * {@link AIMDLimit}), the moving averages of its answer time, and a pause asked for with {@code Retry-After}. It
 * turns each {@link Sample} into a cut of the limit, growth, or nothing, by the rules in {@link Lane}'s description.
 * Not threadsafe: only its lane calls it, under the lane's monitor.
 */
final class EndpointSignals {
    static final double BACKOFF = 0.5;
    static final double LATENCY_TOLERANCE = 2.0;
    /** Below this a latency change is jitter (a GC pause, a busy event loop), not a sign of load. */
    static final long LATENCY_SLACK_MILLIS = 20;

    static final Duration MAX_PAUSE = Duration.ofMinutes(5);

    /** Why the limit was cut. */
    enum Drop {
        TIMEOUT,
        THROTTLED,
        UNAVAILABLE,
        CONNECTION,
        LATENCY
    }

    /**
     * How one request of the lane ended, as far as the limit is concerned: {@code ok} (2xx), {@code drop} (why the
     * endpoint looks overloaded or away), or neither (another failure, or not sent at all: nothing about load).
     */
    record Sample(boolean ok, Drop drop, long rttMillis, Duration retryAfter) {
        static Sample notSent() {
            return new Sample(false, null, 0, null);
        }

        /**
         * @param status the response status, or null when none came
         * @param error why the attempt failed, null on a 2xx
         * @param retryAfter the receiver's Retry-After (heeded on 429 and 503 only), or null
         */
        static Sample of(Integer status, ErrorClass error, long rttMillis, Duration retryAfter) {
            if (error == null) {
                return new Sample(true, null, rttMillis, null);
            }
            Drop drop = null;
            if (status != null && status == 429) {
                drop = Drop.THROTTLED;
            } else if (status != null && status == 503) {
                drop = Drop.UNAVAILABLE;
            } else if (error == ErrorClass.TIMEOUT) {
                drop = Drop.TIMEOUT;
            } else if (error == ErrorClass.CONNECTION) {
                drop = Drop.CONNECTION;
            }
            boolean heeded = drop == Drop.THROTTLED || drop == Drop.UNAVAILABLE;
            return new Sample(false, drop, rttMillis, heeded ? retryAfter : null);
        }
    }

    private final AIMDLimit aimd;
    /** Moving averages of the answer time: the last few answers, and the longer run that is the baseline. */
    private double shortMillis = -1;

    private double longMillis = -1;
    private long lastCutNanos;
    private boolean cutOnce;
    private long pausedUntilNanos;
    private boolean paused;

    EndpointSignals(int initial, int ceiling) {
        this.aimd = AIMDLimit.newBuilder()
                .initialLimit(initial)
                .minLimit(1)
                .maxLimit(ceiling)
                .backoffRatio(BACKOFF)
                // drops are judged here (status, error, latency), not by the library's fixed timeout
                .timeout(1, TimeUnit.DAYS)
                .build();
    }

    /**
     * Learns from one finished request; returns why the limit was cut, or null.
     *
     * @param inFlight requests on the wire when it ended (itself included)
     * @param quietMillis how long the lane's requests had gone without any answer before this one
     */
    Drop learn(Sample s, int inFlight, long now, double quietMillis) {
        if (!s.ok() && s.drop() == null) {
            return null;
        }
        long rttNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, s.rttMillis()));
        // a drop of a request sent before the last cut was caused by the old limit: one cut per round trip
        boolean fresh = !cutOnce || now - rttNanos >= lastCutNanos;
        Drop drop = null;
        if (s.drop() != null) {
            drop = s.drop();
            if (s.retryAfter() != null && !s.retryAfter().isNegative()) {
                Duration pause = s.retryAfter().compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : s.retryAfter();
                long until = now + pause.toNanos();
                if (!paused || until - pausedUntilNanos > 0) {
                    pausedUntilNanos = until;
                }
                paused = true;
            }
        } else {
            double ms = s.rttMillis();
            shortMillis = shortMillis < 0 ? ms : 0.8 * shortMillis + 0.2 * ms;
            // the baseline falls quickly and rises slowly: it follows the endpoint's unloaded speed
            longMillis = longMillis < 0 ? ms : longMillis + (ms < longMillis ? 0.1 : 0.02) * (ms - longMillis);
            if (shortMillis > LATENCY_TOLERANCE * longMillis + LATENCY_SLACK_MILLIS) {
                drop = Drop.LATENCY;
            }
        }
        if (drop != null && !fresh) {
            return null;
        }
        if (drop == null && slow(quietMillis)) {
            // a success that took long says the endpoint is slow, not that it has room for more: no growth (Little's
            // law: more in flight to it only holds more of the replica's slots for the same answers per second)
            return null;
        }
        aimd.onSample(now - rttNanos, rttNanos, inFlight, drop != null);
        if (drop != null) {
            lastCutNanos = now;
            cutOnce = true;
        }
        return drop;
    }

    /**
     * Slow by its baseline, not by its last answers: an endpoint that is fast when not loaded and slows down because
     * it is given too much is handled by the latency cut, not capped as slow (which would flap with every load peak).
     * Also slow while it has requests on the wire and none has ended for {@value Lane#FAST_MILLIS} ms
     * ({@code quietMillis}): an endpoint that stops answering is capped at once, not only after its first slow answer
     * (which may be seconds away, and meanwhile its last answers, perhaps fast ones, are all the baseline knows).
     */
    boolean slow(double quietMillis) {
        return longMillis >= Lane.FAST_MILLIS || quietMillis >= Lane.FAST_MILLIS;
    }

    /** Its usual answer takes {@value Lane#FAST_MILLIS} ms or more, or none came for {@value Lane#SILENT_MILLIS} ms. */
    boolean holdsLong(double quietMillis) {
        return longMillis >= Lane.FAST_MILLIS || quietMillis >= Lane.SILENT_MILLIS;
    }

    /** The adaptive limit alone (the library's). */
    int adaptiveLimit() {
        return aimd.getLimit();
    }

    /** The short average of the answer time in ms, or -1 before the first answer. */
    double shortMillis() {
        return shortMillis;
    }

    boolean pausedAt(long now) {
        if (paused && now - pausedUntilNanos >= 0) {
            paused = false;
        }
        return paused;
    }

    /** How long the pause still lasts at {@code now}; meaningful while {@link #pausedAt} is true. */
    Duration pauseLeft(long now) {
        return Duration.ofNanos(pausedUntilNanos - now);
    }
}
