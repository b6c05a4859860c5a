package io.hookline.engine;

import io.hookline.crypto.WebhookSecret;
import io.hookline.queue.AttemptRecord;
import io.hookline.queue.Claim;
import io.hookline.queue.DeliveryQueue;
import io.hookline.queue.Outcome;
import io.hookline.send.Attempts;
import io.hookline.store.ErrorClass;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * One replica's dispatcher: claim a batch, send each claim concurrently, hand the outcomes to the {@link Recorder},
 * and claim again while there is room and work. Bounded twice: at most {@code maxInFlight} claims held at once, and
 * per webhook by its {@link Lane}'s adaptive concurrency limit (between 1 and {@code maxPerWebhook}, starting at
 * {@code initialPerWebhook}); the rest of that webhook's claims wait here while they can start soon. Claims match
 * capacity: a webhook whose lane cannot take more soon (at its limit with its waiting claims full, or paused by a
 * Retry-After) is skipped by the claim, so its deliveries stay in the queue instead of being claimed and given back.
 * Claims that do go back (a lane learning it is slow, a pause, too little lease, shutdown) are counted by reason in
 * {@code hookline_deliveries_released_total}. Woken by {@link #wake()} (NOTIFY, the scheduled poll, a freed slot).
 * This class is threadsafe.
 */
public class Claimer implements Runnable {
    private static final Logger LOG = Logger.getLogger(Claimer.class);

    /**
     * @param initialPerWebhook where each webhook's adaptive limit starts
     * @param maxPerWebhook the replica's ceiling of each webhook's limit
     */
    public record Settings(
            int batchSize,
            int maxInFlight,
            int initialPerWebhook,
            int maxPerWebhook,
            Duration timeout,
            Duration lease) {}

    private final DeliveryQueue queue;
    private final SecretStore secrets;
    private final Attempts attempts;
    private final Recorder recorder;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final DeliveryMetrics metrics;
    private final Settings settings;
    private final Semaphore capacity;
    private final ArrayBlockingQueue<Boolean> wakeUp = new ArrayBlockingQueue<>(1);
    private final Lanes<Pending> lanes;
    private final AtomicInteger sending = new AtomicInteger();
    private final AtomicLong emptyClaims = new AtomicLong();
    private volatile boolean claiming = true;
    private volatile boolean starved;
    /**
     * How long the claim does not look past the head of the queue again after a look that found nothing due there
     * (the {@code mayLookPastHead} of {@link DeliveryQueue#claim}): the most a webhook's deliveries due behind another's
     * backlog wait for the next look.
     */
    static final long LOOK_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Until when (nanoTime) the claim does not look past the head; touched by the claiming thread only. */
    private long quietPastHeadUntil;

    /** Earliest retry this replica scheduled and has not woken for yet: it wakes itself then, not at the next poll. */
    private final AtomicReference<Instant> nextRetry = new AtomicReference<>();

    public Claimer(
            DeliveryQueue queue,
            SecretStore secrets,
            Attempts attempts,
            Recorder recorder,
            Clock clock,
            LongSupplier nanoTime,
            Settings settings,
            DeliveryMetrics metrics) {
        this.queue = queue;
        this.secrets = secrets;
        this.attempts = attempts;
        this.recorder = recorder;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.metrics = metrics;
        this.settings = settings;
        // a claim kept at hand must start while its lease still outlasts the request: within the lease margin. Taken
        // only if it starts within a second (or sooner with a short margin), kept while it starts within half the
        // margin
        Duration keep = settings.lease().minus(settings.timeout()).dividedBy(2);
        Duration horizon = keep.compareTo(Duration.ofSeconds(1)) < 0 ? keep : Duration.ofSeconds(1);
        Lane.Limits laneLimits = new Lane.Limits(
                settings.initialPerWebhook(), settings.maxPerWebhook(), settings.maxInFlight(), horizon, keep);
        this.lanes = new Lanes<>(laneLimits, settings.maxInFlight(), nanoTime);
        this.capacity = new Semaphore(settings.maxInFlight());
        this.quietPastHeadUntil = nanoTime.getAsLong(); // nanoTime has no fixed origin: may look from now on
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
        // first the lanes give back what they hold beyond their share or can no longer start in time: with every slot
        // held by endpoints that stopped answering, that is what frees slots for the others
        Lanes.Plan<Pending> plan = lanes.plan();
        for (Lanes.GiveBack<Pending> back : plan.giveBack()) {
            release(
                    back.item().claim,
                    back.after(),
                    back.overShare() ? DeliveryMetrics.Release.SHARE : DeliveryMetrics.Release.BUSY);
        }
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
        if (plan.busy()) {
            // a lane we skipped for want of room gets it back as its requests end: be woken then
            starved = true;
        }
        try {
            long nanos = nanoTime.getAsLong();
            DeliveryQueue.Claimed claimed = queue.claim(
                    room,
                    now,
                    now.plus(settings.lease()),
                    plan.skip(),
                    plan.room(),
                    plan.freshRoom(),
                    nanos - quietPastHeadUntil >= 0);
            if (claimed.lookedPastHead()) {
                // a look that found nothing due behind the head for anyone but the skipped webhooks (one endpoint
                // busy, the others' deliveries not due) is not repeated at every claim: at most one per LOOK_PAUSE
                // then. One that found deliveries due goes on at once, also when their webhooks had no room this
                // time: their requests ending wake the claim, which must then be able to look again.
                quietPastHeadUntil = claimed.dueBehindHead() ? nanos : nanos + LOOK_PAUSE_NANOS;
            }
            claims = claimed.claims();
            keys = claims.isEmpty()
                    ? null
                    : secrets.valid(
                            claims.stream().map(Claim::webhookId).distinct().toList(), now);
        } catch (SQLException | RuntimeException e) {
            capacity.release(room);
            throw e;
        }
        capacity.release(room - claims.size());
        if (filledRoom(claims, plan.room(), plan.freshRoom())) {
            // a webhook got all the room it had, and may have more due: claim again when its requests end
            starved = true;
        }
        if (claims.isEmpty() && !plan.busy()) {
            // nothing due but, perhaps, for paused endpoints: what a drain waits for
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
            Lane<Pending> lane = lanes.lane(claim.webhookId());
            Lane.Admission admission = lane.admit(next, claim.maxConcurrency());
            if (admission instanceof Lane.Admission.Retired) {
                continue; // idle and removed meanwhile: take the new lane
            }
            if (admission instanceof Lane.Admission.Start) {
                start(next, lane);
            } else if (admission instanceof Lane.Admission.Defer defer) {
                // claimed before its lane filled up or paused (the claim skips such lanes): back, holding no slot
                release(
                        claim,
                        defer.delay(),
                        defer.paused() ? DeliveryMetrics.Release.PAUSED : DeliveryMetrics.Release.BUSY);
            }
            // Queued: kept at hand, it starts as soon as a request of the lane ends
            return;
        }
    }

    private static boolean filledRoom(List<Claim> claims, Map<String, Integer> room, int freshRoom) {
        Map<String, Integer> got = new HashMap<>();
        for (Claim c : claims) {
            got.merge(c.webhookId(), 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> e : got.entrySet()) {
            if (e.getValue() >= room.getOrDefault(e.getKey(), freshRoom)) {
                return true;
            }
        }
        return false;
    }

    /** Each endpoint's current limit (sorted) and how many are paused: for the metrics. */
    DeliveryMetrics.Lanes lanes() {
        return lanes.snapshot();
    }

    private void start(Pending p, Lane<Pending> lane) {
        Claim claim = p.claim;
        // a claim is only sent while its lease outlasts the request, so no other replica can be sending it too
        if (!claiming || clock.instant().plus(settings.timeout()).isAfter(claim.leaseUntil())) {
            LOG.debugf("Claim of delivery %s given back unsent (stopping, or lease too short)", claim.deliveryId());
            metrics.released(claiming ? DeliveryMetrics.Release.LEASE : DeliveryMetrics.Release.STOPPING);
            finished(claim, lane, new Outcome.Released(claim), EndpointSignals.Sample.notSent());
            return;
        }
        sending.incrementAndGet();
        try {
            attempts.send(claim, p.keys, true).whenComplete((sent, error) -> {
                sending.decrementAndGet();
                if (error != null) {
                    LOG.errorf(error, "Unexpected failure sending delivery %s", claim.deliveryId());
                    finished(claim, lane, attempts.internalError(claim, error), EndpointSignals.Sample.notSent());
                } else {
                    finished(claim, lane, sent.outcome(), sample(sent));
                }
            });
        } catch (RuntimeException e) {
            sending.decrementAndGet();
            LOG.errorf(e, "Unexpected failure sending delivery %s", claim.deliveryId());
            finished(claim, lane, attempts.internalError(claim, e), EndpointSignals.Sample.notSent());
        }
    }

    private static EndpointSignals.Sample sample(Attempts.Sent sent) {
        if (!(sent.outcome() instanceof Outcome.Attempted a)) {
            return EndpointSignals.Sample.notSent();
        }
        AttemptRecord r = a.attempt();
        if (r.errorClass() == ErrorClass.INTERNAL || r.errorClass() == ErrorClass.BLOCKED_ADDRESS) {
            return EndpointSignals.Sample.notSent(); // refused before or without reaching the endpoint
        }
        return EndpointSignals.Sample.of(r.responseStatus(), r.errorClass(), r.durationMs(), sent.retryAfter());
    }

    private void finished(Claim claim, Lane<Pending> lane, Outcome outcome, EndpointSignals.Sample sample) {
        Lane.Finished<Pending> f = lane.finish(sample);
        if (f.cut() != null) {
            metrics.limitCut(f.cut().name());
        }
        done(outcome);
        for (Pending back : f.giveBack()) {
            release(
                    back.claim,
                    f.giveBackAfter(),
                    f.paused() ? DeliveryMetrics.Release.PAUSED : DeliveryMetrics.Release.BUSY);
        }
        if (f.paused()) {
            // wake up at the pause's end: the lane takes claims again then
            soonest(clock.instant().plus(f.giveBackAfter()));
        }
        for (Pending next : f.start()) {
            start(next, lane);
        }
    }

    /** Gives an unsent claim back to the queue, due after {@code delay} (zero: at once). */
    private void release(Claim claim, Duration delay, DeliveryMetrics.Release reason) {
        metrics.released(reason);
        done(new Outcome.Released(claim, delay.isZero() ? null : clock.instant().plus(delay)));
    }

    private void done(Outcome outcome) {
        recorder.submit(outcome);
        if (outcome instanceof Outcome.Retry retry) {
            soonest(retry.nextAttemptAt());
        }
        capacity.release();
        if (starved) {
            starved = false;
            wake();
        }
    }

    private void soonest(Instant at) {
        nextRetry.accumulateAndGet(
                at, (known, candidate) -> known == null || candidate.isBefore(known) ? candidate : known);
    }

    /** Stops claiming; claims waiting for their webhook's turn go back to the queue. */
    public void stopClaiming() {
        claiming = false;
        wake();
        for (Pending p : lanes.drainWaiting()) {
            metrics.released(DeliveryMetrics.Release.STOPPING);
            recorder.submit(new Outcome.Released(p.claim));
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
