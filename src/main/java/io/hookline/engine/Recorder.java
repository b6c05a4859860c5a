package io.hookline.engine;

import io.hookline.queue.DeliveryQueue;
import io.hookline.queue.Outcome;
import io.hookline.queue.SplittingWriter;
import io.hookline.queue.Unstorable;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Writes outcomes to the queue in batches, on its own thread: while one batch is being written the next one
 * accumulates, so under load one statement records hundreds of results, and at low load a result is written at once.
 * Also keeps endpoint health: disables a webhook that answered 410 Gone or has failed for too long. A batch the
 * database refuses for one row's content is split until that row is alone, and the row recorded as an internal error
 * ({@link SplittingWriter}, {@link Unstorable}), so one receiver's answer cannot hold back the other results. A batch
 * that cannot be written because the database is away is retried; if it stays away the leases expire and the
 * deliveries are sent again (a duplicate, never a loss). This class is threadsafe.
 */
public class Recorder implements Runnable {
    private static final Logger LOG = Logger.getLogger(Recorder.class);
    static final int MAX_BATCH = 500;
    private static final int WRITE_TRIES = 5;

    private final DeliveryQueue queue;
    private final DeliveryMetrics metrics;
    private final Clock clock;
    private final Duration disableAfter;
    private final int disableAfterFailures;
    private final LinkedBlockingQueue<Outcome> pending = new LinkedBlockingQueue<>();
    private volatile boolean stopping;
    private volatile int writing;
    private volatile Runnable written = () -> {};
    private final AtomicLong recorded = new AtomicLong();

    public Recorder(
            DeliveryQueue queue,
            Clock clock,
            Duration disableAfter,
            int disableAfterFailures,
            DeliveryMetrics metrics) {
        this.queue = queue;
        this.metrics = metrics;
        this.clock = clock;
        this.disableAfter = disableAfter;
        this.disableAfterFailures = disableAfterFailures;
    }

    public void submit(Outcome outcome) {
        pending.add(outcome);
    }

    /** Outcomes waiting to be written. The dispatch loop stops claiming while this is large. */
    public int backlog() {
        return pending.size();
    }

    /** Called after every batch written (the dispatch loop resumes claiming if it had paused). */
    public void onWritten(Runnable callback) {
        this.written = callback;
    }

    @Override
    public void run() {
        List<Outcome> batch = new ArrayList<>(MAX_BATCH);
        while (!stopping || !pending.isEmpty()) {
            try {
                Outcome first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                writing = 1;
                batch.add(first);
                pending.drainTo(batch, MAX_BATCH - 1);
                write(batch);
                written.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
                writing = 0;
            }
        }
    }

    /** Outcomes written so far (not counting claims given back). */
    public long recorded() {
        return recorded.get();
    }

    /** Nothing waiting to be written and nothing being written. */
    public boolean idle() {
        return pending.isEmpty() && writing == 0;
    }

    /** Stops taking new work once everything submitted so far is written (or {@code grace} is over). */
    public void stop(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while ((!pending.isEmpty() || writing == 1) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stopping = true;
    }

    void write(List<Outcome> batch) throws InterruptedException {
        List<Outcome.Released> released = new ArrayList<>();
        List<Outcome> results = new ArrayList<>(batch.size());
        for (Outcome o : batch) {
            if (o instanceof Outcome.Released r) {
                released.add(r);
            } else {
                results.add(o);
            }
        }
        if (!released.isEmpty()) {
            // ids, tokens and times only: nothing in them the database could refuse, so never split
            new SplittingWriter<Outcome.Released>(queue::release, (r, e) -> r, WRITE_TRIES, Recorder::backoff)
                    .write(released);
        }
        new SplittingWriter<>(this::record, Unstorable::substitute, WRITE_TRIES, Recorder::backoff).write(results);
    }

    private static void backoff(int failedTries) throws InterruptedException {
        Thread.sleep(200L * failedTries);
    }

    /** Writes one part of a batch (one transaction), then acts on what it changed. */
    private void record(List<Outcome> results) throws SQLException {
        Instant now = clock.instant();
        List<DeliveryQueue.Health> health = queue.record(results, healthChanges(results), now);
        afterRecording(results, health, now);
    }

    /**
     * Never throws: the results are written, and a failure here must not make the writer write them again (their
     * health would count twice). A webhook not disabled now is checked again at its next failure.
     */
    private void afterRecording(List<Outcome> results, List<DeliveryQueue.Health> health, Instant now) {
        try {
            recorded.addAndGet(results.size());
            results.forEach(metrics::recorded);
            logStateChanges(results);
            disableUnhealthy(health, results, now);
        } catch (SQLException | RuntimeException e) {
            LOG.warnf(
                    "Could not act on %d recorded delivery results (metrics, health): %s",
                    results.size(), e.toString());
        }
    }

    static List<DeliveryQueue.HealthChange> healthChanges(List<Outcome> results) {
        Map<String, DeliveryQueue.HealthChange> byWebhook = new LinkedHashMap<>();
        for (Outcome o : results) {
            if (!(o instanceof Outcome.Attempted a)) {
                continue;
            }
            String webhook = o.claim().webhookId();
            DeliveryQueue.HealthChange before = byWebhook.get(webhook);
            // the outcome, not the attempt row: a success whose answer could not be stored is still a success
            boolean success = o instanceof Outcome.Succeeded;
            int exhausted = (before == null ? 0 : before.exhausted()) + (o instanceof Outcome.Failed ? 1 : 0);
            Instant firstFailure = before == null ? null : before.firstFailure();
            if (!success && (firstFailure == null || a.attempt().startedAt().isBefore(firstFailure))) {
                firstFailure = a.attempt().startedAt();
            }
            // the latest outcome in the batch decides whether the endpoint is healthy now
            byWebhook.put(
                    webhook,
                    new DeliveryQueue.HealthChange(
                            webhook, success, success ? 0 : exhausted, success ? null : firstFailure));
        }
        return new ArrayList<>(byWebhook.values());
    }

    private void disableUnhealthy(List<DeliveryQueue.Health> health, List<Outcome> results, Instant now)
            throws SQLException {
        Map<String, Boolean> gone = new LinkedHashMap<>();
        for (Outcome o : results) {
            if (o instanceof Outcome.Failed f && f.gone()) {
                gone.put(o.claim().webhookId(), true);
            }
        }
        for (String webhook : gone.keySet()) {
            disable(webhook, "the endpoint answered 410 Gone", true, now);
        }
        for (DeliveryQueue.Health h : health) {
            if (!h.enabled() || gone.containsKey(h.webhookId())) {
                continue;
            }
            if (h.failingSince() != null && !h.failingSince().isAfter(now.minus(disableAfter))) {
                disable(h.webhookId(), "every attempt has failed since " + h.failingSince(), false, now);
            } else if (disableAfterFailures > 0 && h.consecutiveFailures() >= disableAfterFailures) {
                disable(h.webhookId(), h.consecutiveFailures() + " consecutive deliveries failed", false, now);
            }
        }
    }

    private void disable(String webhookId, String reason, boolean gone, Instant now) throws SQLException {
        if (queue.disableWebhook(webhookId, reason, now)) {
            metrics.webhookDisabled(gone);
            LOG.infof("Webhook %s disabled: %s. Re-enable it with PATCH {\"enabled\":true}", webhookId, reason);
        }
    }

    private static void logStateChanges(List<Outcome> results) {
        for (Outcome o : results) {
            if (o instanceof Outcome.Failed f) {
                LOG.infof(
                        "Delivery %s of event %s to webhook %s failed for good after attempt %d: %s",
                        o.claim().deliveryId(),
                        o.claim().eventId(),
                        o.claim().webhookId(),
                        o.claim().attempt(),
                        f.attempt().errorMessage());
            } else if (LOG.isDebugEnabled()) {
                LOG.debugf(
                        "Delivery %s attempt %d: %s",
                        o.claim().deliveryId(),
                        o.claim().attempt(),
                        o.getClass().getSimpleName());
            }
        }
    }
}
