package io.hookline.engine;

import io.hookline.crypto.WebhookSecret;
import io.hookline.queue.Claim;
import io.hookline.queue.DeliveryQueue;
import io.hookline.queue.Outcome;
import io.hookline.send.Attempts;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * One replica's dispatcher: claim a batch, send each claim concurrently, hand the outcomes to the {@link Recorder},
 * and claim again while there is room and work. Bounded twice: at most {@code maxInFlight} claims held at once, and
 * at most {@code maxPerWebhook} requests in flight to one webhook (the rest of that webhook's claims wait here, and are
 * released back to the queue if their lease runs too short to send them). Woken by {@link #wake()} (NOTIFY, the
 * scheduled poll, a freed slot). This class is threadsafe.
 */
public class Claimer implements Runnable {
    private static final Logger LOG = Logger.getLogger(Claimer.class);

    public record Settings(int batchSize, int maxInFlight, int maxPerWebhook, Duration timeout, Duration lease) {}

    private final DeliveryQueue queue;
    private final SecretStore secrets;
    private final Attempts attempts;
    private final Recorder recorder;
    private final Clock clock;
    private final Settings settings;
    private final Semaphore capacity;
    private final ArrayBlockingQueue<Boolean> wakeUp = new ArrayBlockingQueue<>(1);
    private final Map<String, Lane<Pending>> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger sending = new AtomicInteger();
    private final AtomicLong emptyClaims = new AtomicLong();
    private volatile boolean claiming = true;
    private volatile boolean starved;
    /** Earliest retry this replica scheduled and has not woken for yet: it wakes itself then, not at the next poll. */
    private final AtomicReference<Instant> nextRetry = new AtomicReference<>();

    public Claimer(
            DeliveryQueue queue,
            SecretStore secrets,
            Attempts attempts,
            Recorder recorder,
            Clock clock,
            Settings settings) {
        this.queue = queue;
        this.secrets = secrets;
        this.attempts = attempts;
        this.recorder = recorder;
        this.clock = clock;
        this.settings = settings;
        this.capacity = new Semaphore(settings.maxInFlight());
        recorder.onWritten(() -> {
            if (starved) {
                starved = false;
                wake();
            }
        });
    }

    public void wake() {
        wakeUp.offer(Boolean.TRUE);
    }

    @Override
    public void run() {
        while (claiming) {
            try {
                if (claimOnce()) {
                    continue; // a full batch: more is probably due
                }
                wakeUp.poll(untilNextRetry(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("Claiming deliveries failed, retrying shortly: %s", e.getMessage());
                try {
                    wakeUp.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private long untilNextRetry() {
        Instant next = nextRetry.get();
        if (next == null) {
            return TimeUnit.MINUTES.toMillis(1);
        }
        long wait = Duration.between(clock.instant(), next).toMillis() + RETRY_SLACK_MS;
        if (wait <= 0) {
            nextRetry.compareAndSet(next, null);
            return 0;
        }
        return wait;
    }

    /** Lets the recorder write the retry before the loop looks for it. */
    private static final long RETRY_SLACK_MS = 20;

    /** @return true when a full batch was claimed */
    boolean claimOnce() throws SQLException {
        int room = Math.min(settings.batchSize(), capacity.availablePermits());
        // back-pressure: while results wait to be written, claim no more; sending faster than the database records
        // only grows memory and, past the lease, turns into duplicate sends
        if (room == 0 || !claiming || recorder.backlog() >= settings.maxInFlight()) {
            starved = true;
            return false;
        }
        capacity.acquireUninterruptibly(room);
        List<Claim> claims;
        SecretStore.Keys keys;
        Instant now = clock.instant();
        try {
            claims = queue.claim(room, now, now.plus(settings.lease()), saturated());
            keys = claims.isEmpty()
                    ? null
                    : secrets.valid(
                            claims.stream().map(Claim::webhookId).distinct().toList(), now);
        } catch (SQLException | RuntimeException e) {
            capacity.release(room);
            throw e;
        }
        capacity.release(room - claims.size());
        if (claims.isEmpty()) {
            emptyClaims.incrementAndGet();
        }
        for (Claim claim : claims) {
            dispatch(claim, keys);
        }
        return claims.size() == room;
    }

    private void dispatch(Claim claim, SecretStore.Keys batchKeys) {
        if (!claim.webhookLive()) {
            done(new Outcome.Cancelled(claim, "webhook disabled or revoked before sending"));
            return;
        }
        String unreadable = batchKeys.unreadable().get(claim.webhookId());
        if (unreadable != null) {
            done(attempts.internalError(claim, new IllegalStateException(unreadable)));
            return;
        }
        List<WebhookSecret> keys = batchKeys.valid().get(claim.webhookId());
        if (keys == null || keys.isEmpty()) {
            done(new Outcome.Cancelled(claim, "webhook has no valid secret (revoked)"));
            return;
        }
        Pending next = new Pending(claim, keys);
        while (true) {
            Lane<Pending> lane = lanes.computeIfAbsent(claim.webhookId(), id -> new Lane<>());
            Lane.Admission admission = lane.admit(next, settings.maxPerWebhook());
            if (admission instanceof Lane.Admission.Retired) {
                continue; // emptied and removed meanwhile: take the new lane
            }
            if (admission instanceof Lane.Admission.Start) {
                start(next, lane);
            } else if (admission instanceof Lane.Admission.Defer defer) {
                // a slow endpoint at its limit: give the claim back for later, so it holds no slot meanwhile
                done(new Outcome.Released(claim, clock.instant().plus(defer.delay())));
            }
            // Queued: a busy but fast endpoint keeps the claim at hand rather than a round trip to the queue
            return;
        }
    }

    /** Webhooks not worth claiming for now: slow and at their in-flight limit on this replica. */
    private List<String> saturated() {
        List<String> ids = new ArrayList<>();
        lanes.forEach((id, lane) -> {
            if (lane.saturated(settings.maxPerWebhook())) {
                ids.add(id);
            }
        });
        return ids;
    }

    private void start(Pending p, Lane<Pending> lane) {
        Claim claim = p.claim;
        // a claim is only sent while its lease outlasts the request, so no other replica can be sending it too
        if (!claiming || clock.instant().plus(settings.timeout()).isAfter(claim.leaseUntil())) {
            LOG.debugf("Claim of delivery %s given back unsent (stopping, or lease too short)", claim.deliveryId());
            finished(claim, lane, new Outcome.Released(claim));
            return;
        }
        sending.incrementAndGet();
        try {
            attempts.attempt(claim, p.keys, true).whenComplete((outcome, error) -> {
                sending.decrementAndGet();
                if (error != null) {
                    LOG.errorf(error, "Unexpected failure sending delivery %s", claim.deliveryId());
                    finished(claim, lane, attempts.internalError(claim, error));
                } else {
                    finished(claim, lane, outcome);
                }
            });
        } catch (RuntimeException e) {
            sending.decrementAndGet();
            LOG.errorf(e, "Unexpected failure sending delivery %s", claim.deliveryId());
            finished(claim, lane, attempts.internalError(claim, e));
        }
    }

    private void finished(Claim claim, Lane<Pending> lane, Outcome outcome) {
        Pending next =
                lane.finish(outcome instanceof Outcome.Attempted a ? a.attempt().durationMs() : null);
        if (next == null && lane.retired()) {
            lanes.remove(claim.webhookId(), lane);
        }
        done(outcome);
        if (next != null) {
            start(next, lane);
        }
    }

    private void done(Outcome outcome) {
        recorder.submit(outcome);
        if (outcome instanceof Outcome.Retry retry) {
            nextRetry.accumulateAndGet(
                    retry.nextAttemptAt(),
                    (known, candidate) -> known == null || candidate.isBefore(known) ? candidate : known);
        }
        capacity.release();
        if (starved) {
            starved = false;
            wake();
        }
    }

    /** Stops claiming; claims waiting for their webhook's turn go back to the queue. */
    public void stopClaiming() {
        claiming = false;
        wake();
        List<Claim> unstarted = new ArrayList<>();
        for (Lane<Pending> lane : lanes.values()) {
            lane.drainWaiting().forEach(p -> unstarted.add(p.claim));
        }
        for (Claim c : unstarted) {
            recorder.submit(new Outcome.Released(c));
            capacity.release();
        }
    }

    /** How many claims so far found nothing due: a drain is over once one after its start has. */
    public long emptyClaims() {
        return emptyClaims.get();
    }

    /** Requests on the wire right now. */
    public int sending() {
        return sending.get();
    }

    /** Claims held by this replica (sending or waiting for their webhook's turn). */
    public int held() {
        return settings.maxInFlight() - capacity.availablePermits();
    }

    private record Pending(Claim claim, List<WebhookSecret> keys) {}
}
