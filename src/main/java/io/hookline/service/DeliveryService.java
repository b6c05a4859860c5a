package io.hookline.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.hookline.common.Ids;
import io.hookline.contract.DeliveryApi;
import io.hookline.contract.Page;
import io.hookline.contract.ProblemException;
import io.hookline.crypto.SecretCipher;
import io.hookline.crypto.WebhookSecret;
import io.hookline.queue.AttemptRecord;
import io.hookline.queue.Claim;
import io.hookline.queue.DeliveriesQueued;
import io.hookline.queue.DeliveryQueue;
import io.hookline.queue.Outcome;
import io.hookline.queue.Unstorable;
import io.hookline.send.Attempts;
import io.hookline.store.Delivery;
import io.hookline.store.DeliveryAttempt;
import io.hookline.store.DeliveryStatus;
import io.hookline.store.StoredEvent;
import io.hookline.store.StoredSecret;
import io.hookline.store.Webhook;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** The delivery log, replays and the synchronous test send, each limited to the caller's tenant. */
@ApplicationScoped
public class DeliveryService {
    static final String TEST_EVENT_TYPE = "webhook.test";

    @Inject
    DeliveryQueue queue;

    @Inject
    Attempts attempts;

    @Inject
    SecretCipher cipher;

    @Inject
    TestSendLimits limits;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    Event<DeliveriesQueued> queued;

    @Inject
    AuditLog audit;

    @Transactional
    public Page<DeliveryApi.View> forWebhook(String tenant, String webhookId, String status, int limit, String after) {
        live(tenant, webhookId);
        DeliveryStatus only = status == null
                ? null
                : DeliveryStatus.of(status)
                        .orElseThrow(() -> ProblemException.invalid(
                                "status", "must be one of " + String.join(", ", DeliveryStatus.VALUES)));
        StringBuilder query = new StringBuilder("webhookId = :webhook");
        Parameters params = Parameters.with("webhook", webhookId);
        if (only != null) {
            query.append(" and status = :status");
            params.and("status", only);
        }
        if (after != null) {
            query.append(" and id < :after");
            params.and("after", after);
        }
        List<Delivery> rows = Delivery.find(query + " order by id desc", params)
                .range(0, limit)
                .list();
        return Page.of(rows, limit, DeliveryApi.View::of, d -> d.id);
    }

    @Transactional
    public DeliveryApi.Detail get(String tenant, String id) {
        Delivery d = Delivery.findForTenant(tenant, id).orElseThrow(() -> ProblemException.notFound("delivery", id));
        String type = StoredEvent.<StoredEvent>findByIdOptional(d.eventId)
                .map(e -> e.type)
                .orElse(null);
        return new DeliveryApi.Detail(
                DeliveryApi.View.of(d),
                type,
                DeliveryAttempt.of(d.id).stream().map(DeliveryApi.Attempt::of).toList());
    }

    /** At most this many failed deliveries are queued again by one recover call. */
    public static final int MAX_RECOVER = 100_000;

    /**
     * Queues again every failed delivery of a webhook created in [since, until) (until: now when null), at most
     * {@link #MAX_RECOVER} per call, each as a new pending delivery of the same event. A failed delivery that already
     * has a waiting, in-flight or successful copy is skipped, so a second call for the same window queues nothing.
     */
    @Transactional
    public DeliveryApi.Recovered recover(String tenant, String webhookId, DeliveryApi.Recover request) {
        Webhook w = live(tenant, webhookId);
        if (!w.enabled) {
            throw ProblemException.conflict("webhook " + w.id + " is disabled (" + w.disabledReason
                    + "); re-enable it with PATCH {\"enabled\":true} first");
        }
        Instant now = clock.instant();
        Instant until = request.until() != null ? request.until() : now;
        if (!request.since().isBefore(until)) {
            throw ProblemException.invalid("since", "must be before until (" + until + ")");
        }
        int requeued;
        try (Connection c = dataSource.getConnection()) {
            requeued = DeliveryQueue.recoverFailed(c, tenant, w.id, request.since(), until, MAX_RECOVER, now);
        } catch (SQLException e) {
            throw new IllegalStateException("could not recover the deliveries of " + w.id, e);
        }
        boolean more = requeued == MAX_RECOVER;
        audit.record(
                tenant,
                AuditLog.RECOVERED,
                AuditLog.WEBHOOK,
                w.id,
                "since=" + request.since() + ", until=" + until + ", requeued=" + requeued);
        if (requeued > 0) {
            queued.fire(DeliveriesQueued.NOW);
        }
        return new DeliveryApi.Recovered(requeued, more, request.since(), until);
    }

    /** Queues the same event (same id and bytes) to the same webhook again, as a new delivery. */
    @Transactional
    public DeliveryApi.View redeliver(String tenant, String id) {
        Delivery original =
                Delivery.findForTenant(tenant, id).orElseThrow(() -> ProblemException.notFound("delivery", id));
        Webhook w = Webhook.findLive(tenant, original.webhookId)
                .orElseThrow(() -> ProblemException.conflict("webhook " + original.webhookId + " was revoked"));
        if (!w.enabled) {
            throw ProblemException.conflict("webhook " + w.id + " is disabled (" + w.disabledReason
                    + "); re-enable it with PATCH {\"enabled\":true} first");
        }
        Instant now = clock.instant();
        String copy;
        try (Connection c = dataSource.getConnection()) {
            copy = DeliveryQueue.insertPending(c, original.eventId, tenant, List.of(original.webhookId), now)
                    .get(0);
        } catch (SQLException e) {
            throw new IllegalStateException("could not queue the redelivery of " + id, e);
        }
        audit.record(tenant, AuditLog.REDELIVERED, AuditLog.DELIVERY, id, "new delivery " + copy);
        queued.fire(DeliveriesQueued.NOW);
        return new DeliveryApi.View(
                copy,
                original.eventId,
                original.webhookId,
                DeliveryStatus.PENDING.value(),
                0,
                now,
                null,
                null,
                now,
                null);
    }

    /**
     * Sends a signed {@code webhook.test} event now, bypassing the queue but not the log: the event and its delivery
     * are stored claimed, sent by the same signer and sender as every delivery, and recorded like any attempt (no
     * retry). No transaction is open during the request.
     * <p>
     * Call it from the event loop or any thread; it never blocks the caller. The two database steps run on the worker
     * pool and the wait for the receiver holds no thread at all: 300 test sends to a receiver answering after 9 s
     * had held every worker thread, and other tenants' calls waited 9 s behind them. The send is bounded by
     * {@link TestSendLimits} (429 at once when over) and, once admitted, runs to its record even if the caller goes
     * away, so the bound counts sends really in progress and no test delivery is left claimed for the dispatcher to
     * send again.
     *
     * @throws ProblemException 429 when the tenant or the replica already has as many test sends in progress as
     *         allowed
     */
    public Uni<DeliveryApi.TestResult> test(String tenant, String webhookId) {
        // read on the request's thread: the database steps run on a worker, outside the request
        Actor actor = audit.caller();
        TestSendLimits.Permit permit = limits.acquire(tenant);
        Executor worker = Infrastructure.getDefaultWorkerPool();
        CompletableFuture<DeliveryApi.TestResult> done;
        try {
            done = Uni.createFrom()
                    .item(() -> QuarkusTransaction.requiringNew().call(() -> prepareTest(tenant, webhookId, actor)))
                    .runSubscriptionOn(worker)
                    .chain(this::send)
                    .emitOn(worker)
                    .map(this::record)
                    .subscribeAsCompletionStage();
        } catch (RuntimeException e) {
            permit.release();
            throw e;
        }
        done.whenComplete((result, failure) -> permit.release());
        // a copy: the HTTP layer cancels what it subscribed to when the caller leaves; that must not stop the record
        return Uni.createFrom().completionStage(done.copy());
    }

    private Uni<Outcome> send(Prepared prepared) {
        return Uni.createFrom()
                .completionStage(() -> attempts.attempt(prepared.claim, prepared.secrets, false))
                .ifNoItem()
                .after(queue.leaseDuration())
                .fail()
                .onFailure()
                .recoverWithItem(e -> attempts.internalError(prepared.claim, e));
    }

    private DeliveryApi.TestResult record(Outcome outcome) {
        try {
            // a result the database refuses (whatever the receiver answered) is logged as an internal error, not a 500
            Unstorable.recordOne(queue, outcome, clock.instant());
        } catch (SQLException e) {
            throw new IllegalStateException("could not log the test delivery", e);
        }
        AttemptRecord a = ((Outcome.Attempted) outcome).attempt();
        return new DeliveryApi.TestResult(
                a.succeeded(),
                a.responseStatus(),
                a.durationMs(),
                a.responseBody(),
                a.errorMessage(),
                outcome.claim().deliveryId());
    }

    private record Prepared(Claim claim, List<WebhookSecret> secrets) {}

    private Prepared prepareTest(String tenant, String webhookId, Actor actor) throws SQLException {
        Webhook w = live(tenant, webhookId);
        List<WebhookSecret> secrets = new ArrayList<>();
        Instant now = clock.instant();
        for (StoredSecret s : StoredSecret.valid(w.id, now)) {
            try {
                secrets.add(cipher.decrypt(s.sealed(), w.id));
            } catch (IllegalStateException e) {
                // an operator problem (master key removed from the ring), not a bug: say so instead of a 500
                throw ProblemException.conflict("the webhook's signing secret cannot be decrypted: " + e.getMessage());
            }
        }
        if (secrets.isEmpty()) {
            throw ProblemException.conflict("webhook " + w.id + " has no valid signing secret; rotate it");
        }
        String eventId = Ids.event();
        String deliveryId = Ids.delivery();
        var data = json.createObjectNode()
                .put("message", "This is a test delivery from Hookline")
                .put("webhook_id", w.id);
        byte[] body = Envelope.render(json, eventId, TEST_EVENT_TYPE, now, data);
        Instant leaseUntil = now.plus(queue.leaseDuration());
        long token;
        try (Connection c = dataSource.getConnection()) {
            // not in the event feed: a test is between Hookline and one endpoint
            EventService.insertEvent(c, eventId, tenant, TEST_EVENT_TYPE, body, null, now, false);
            token = DeliveryQueue.insertClaimed(c, deliveryId, eventId, w.id, tenant, now, leaseUntil);
        }
        audit.record(tenant, actor, AuditLog.TESTED, AuditLog.WEBHOOK, w.id, "delivery " + deliveryId);
        Claim claim = new Claim(
                deliveryId, eventId, w.id, tenant, 1, token, leaseUntil, TEST_EVENT_TYPE, body, w.url, true, now, null);
        return new Prepared(claim, secrets);
    }

    private static Webhook live(String tenant, String webhookId) {
        return Webhook.findLive(tenant, webhookId).orElseThrow(() -> ProblemException.notFound("webhook", webhookId));
    }
}
