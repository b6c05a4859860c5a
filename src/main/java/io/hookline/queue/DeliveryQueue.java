package io.hookline.queue;

import io.agroal.api.AgroalDataSource;
import io.hookline.common.Ids;
import io.hookline.common.sql.Columns;
import io.hookline.common.sql.Prepared;
import io.hookline.common.sql.Sql;
import io.hookline.common.sql.Transactions;
import io.hookline.config.HooklineConfig;
import io.hookline.crypto.SecretCipher;
import io.hookline.store.StoredSecret;
import io.quarkus.agroal.DataSource;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Every statement of the delivery queue, each named; their SQL is in {@code src/main/resources/sql/queue/}, one file
 * per statement with the index that serves it. The queue is the {@code delivery} table:
 * <pre>
 *   pending ──claim──► in_flight ──record──► succeeded | failed | cancelled
 *      ▲                   │  └──record (retry)──► pending
 *      └── lease expired ──┘  └──release (not sent)──► pending
 * </pre>
 * Each statement runs in its own short transaction and never spans an HTTP call. Results are fenced: a result is
 * written only while the row still carries the lease token of the claim that produced it, so a replica whose lease
 * expired cannot overwrite a newer claim.
 * <p>
 * The statements run on the {@code queue} datasource, a pool of its own sized for the dispatcher (so API traffic
 * cannot starve it, nor it the API) whose sessions commit asynchronously ({@code synchronous_commit = off}): a
 * database crash can lose the last few hundred milliseconds of queue bookkeeping, which only rolls a delivery back
 * to an earlier state (claimed → pending, succeeded → in flight until its lease expires), so the worst case is a
 * duplicate send, never a lost delivery. Publishing, which creates the deliveries, commits synchronously on the
 * default datasource. Not waiting for a WAL flush per claim and per batch of results is what lets one replica
 * record thousands of deliveries a second. This class is threadsafe.
 */
@ApplicationScoped
@Startup // loads its statements at start-up: a missing file fails the start
public class DeliveryQueue {
    private static final Logger LOG = Logger.getLogger(DeliveryQueue.class);

    // Each statement is a file under src/main/resources/sql/queue/ that says what it does, which index serves it and
    // how to run it with psql (sql/README.md). Loaded once, when this class is initialised.
    static final Sql CLAIM = Sql.load("queue/claim.sql");
    static final Sql WEBHOOKS_WITH_PENDING = Sql.load("queue/webhooks-with-pending.sql");
    static final Sql CLAIM_FOR_WEBHOOKS = Sql.load("queue/claim-for-webhooks.sql");
    static final Sql RECORD = Sql.load("queue/record.sql");
    static final Sql RECORD_HEALTH = Sql.load("queue/record-health.sql");
    static final Sql DISABLE_WEBHOOK = Sql.load("queue/disable-webhook.sql");
    static final Sql RELEASE = Sql.load("queue/release.sql");
    static final Sql SWEEP_EXPIRED_LEASES = Sql.load("queue/sweep-expired-leases.sql");
    static final Sql CANCEL_PENDING_FOR_WEBHOOK = Sql.load("queue/cancel-pending-for-webhook.sql");
    static final Sql COUNT_IN_FLIGHT_FOR_WEBHOOK = Sql.load("queue/count-in-flight-for-webhook.sql");
    static final Sql VALID_SECRETS = Sql.load("queue/valid-secrets.sql");
    static final Sql PUBLISH = Sql.load("queue/publish.sql");
    static final Sql INSERT_PENDING = Sql.load("queue/insert-pending.sql");
    static final Sql INSERT_PENDING_MANY = Sql.load("queue/insert-pending-many.sql");
    static final Sql INSERT_CLAIMED = Sql.load("queue/insert-claimed.sql");
    static final Sql RECOVERABLE = Sql.load("queue/recoverable.sql");
    static final Sql INSERT_RECOVERED = Sql.load("queue/insert-recovered.sql");
    static final Sql DEPTH = Sql.load("queue/depth.sql");
    static final Sql NOTIFY = Sql.load("queue/notify.sql");

    /** The channel {@link #NOTIFY} wakes and every replica LISTENs on. */
    public static final String CHANNEL = "hookline_deliveries";

    @Inject
    @DataSource("queue")
    AgroalDataSource dataSource;

    @Inject
    HooklineConfig config;

    @Inject
    Event<WebhookDisabled> webhookDisabled;

    /** How long a claim is held: the request timeout plus a margin for recording its result. */
    public Duration leaseDuration() {
        return config.delivery().timeout().plus(config.dispatcher().leaseMargin());
    }

    public List<Claim> claim(int limit, Instant now, Instant leaseUntil) throws SQLException {
        return claim(limit, now, leaseUntil, List.of(), Map.of(), limit, true).claims();
    }

    /**
     * How many webhooks one look past the head of the queue visits at most ({@code webhooks-with-pending.sql}): a few
     * milliseconds of index descents, however many webhooks have deliveries pending.
     */
    static final int PAST_HEAD_BUDGET = 256;

    /** Where the next look past the head goes on (webhook ids in order; empty: from the start). */
    private final AtomicReference<String> pastHeadAfter = new AtomicReference<>("");

    /**
     * What a claim got: its claims, whether it looked past the head of the queue, how many of the claims it found
     * there, and whether it saw deliveries due there for webhooks not skipped (claimed, or waiting for room).
     */
    public record Claimed(List<Claim> claims, boolean lookedPastHead, int pastHead, boolean dueBehindHead) {}

    /**
     * Claims up to {@code limit} due deliveries, first from the head of the queue (the oldest due). When the head was
     * full and mostly taken by webhooks that can take no more (skipped), more may be due behind it, and
     * {@code mayLookPastHead}, the other webhooks' due deliveries are looked for webhook by webhook, so one
     * endpoint's backlog neither holds them up nor makes every claim read through it. A look costs up to
     * {@link #PAST_HEAD_BUDGET} index descents; the caller decides how often it is worth one.
     *
     * @param skipWebhooks webhooks not to claim for at all
     * @param room how many claims each listed webhook may get at most
     * @param defaultRoom how many a webhook not in {@code room} may get
     */
    public Claimed claim(
            int limit,
            Instant now,
            Instant leaseUntil,
            Collection<String> skipWebhooks,
            Map<String, Integer> room,
            int defaultRoom,
            boolean mayLookPastHead)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            HeadClaim head = claimHead(c, limit, now, leaseUntil, skipWebhooks, room, defaultRoom);
            List<Claim> claims = head.claims();
            // a head that stays where it is: full, and mostly of webhooks skipped (at their limit, or paused), whose
            // rows no later claim takes either until they have room again. Rows a webhook had no room for this time
            // are taken by the next claims, as that webhook's requests end: the head moves on by itself.
            boolean stuck = claims.isEmpty()
                    ? !skipWebhooks.isEmpty()
                    : head.headRows() >= limit && 2 * head.headSkipped() >= head.headRows();
            if (claims.size() >= limit || !stuck || !mayLookPastHead) {
                return new Claimed(claims, false, 0, false);
            }
            Map<String, Integer> taken = new HashMap<>();
            for (Claim claim : claims) {
                taken.merge(claim.webhookId(), 1, Integer::sum);
            }
            Map<String, Integer> roomLeft = new HashMap<>();
            boolean dueBehind = false;
            for (String webhook : webhooksWithDue(c, now)) {
                if (skipWebhooks.contains(webhook)) {
                    continue;
                }
                dueBehind = true;
                int left = room.getOrDefault(webhook, defaultRoom) - taken.getOrDefault(webhook, 0);
                if (left > 0) {
                    roomLeft.put(webhook, left);
                }
            }
            if (roomLeft.isEmpty()) {
                return new Claimed(claims, true, 0, dueBehind);
            }
            List<Claim> pastHead = claimFor(c, limit - claims.size(), now, leaseUntil, roomLeft);
            List<Claim> all = new ArrayList<>(claims);
            all.addAll(pastHead);
            return new Claimed(all, true, pastHead.size(), true);
        }
    }

    /** The next {@link #PAST_HEAD_BUDGET} webhooks with pending deliveries, in turn: those with one due. */
    private List<String> webhooksWithDue(Connection c, Instant now) throws SQLException {
        String after = pastHeadAfter.get();
        List<String> due = new ArrayList<>();
        String last = null;
        int visited = 0;
        try (Prepared ps = WEBHOOKS_WITH_PENDING.prepare(c)) {
            ps.set("after", after).set("budget", PAST_HEAD_BUDGET).set("now", now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    last = rs.getString(1);
                    visited++;
                    if (rs.getBoolean(2)) {
                        due.add(last);
                    }
                }
            }
        }
        pastHeadAfter.compareAndSet(after, visited < PAST_HEAD_BUDGET || last == null ? "" : last);
        return due;
    }

    private record HeadClaim(List<Claim> claims, long headRows, long headSkipped) {}

    private static HeadClaim claimHead(
            Connection c,
            int limit,
            Instant now,
            Instant leaseUntil,
            Collection<String> skipWebhooks,
            Map<String, Integer> room,
            int defaultRoom)
            throws SQLException {
        try (Prepared ps = CLAIM.prepare(c)) {
            ps.set("now", now)
                    .set("skip_webhooks", Columns.text(c, skipWebhooks))
                    .set("limit", limit)
                    .set("default_room", defaultRoom)
                    .set("room_ids", Columns.text(c, room.keySet()))
                    .set("room_sizes", roomSizes(c, room))
                    .set("lease_until", leaseUntil);
            List<Claim> claims = new ArrayList<>(limit);
            long headRows = 0;
            long headSkipped = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claims.add(claim(rs));
                    headRows = rs.getLong(14);
                    headSkipped = rs.getLong(15);
                }
            }
            return new HeadClaim(claims, headRows, headSkipped);
        }
    }

    private static List<Claim> claimFor(
            Connection c, int limit, Instant now, Instant leaseUntil, Map<String, Integer> room) throws SQLException {
        try (Prepared ps = CLAIM_FOR_WEBHOOKS.prepare(c)) {
            ps.set("webhooks", Columns.text(c, room.keySet()))
                    .set("room_ids", Columns.text(c, room.keySet()))
                    .set("room_sizes", roomSizes(c, room))
                    .set("now", now)
                    .set("limit", limit)
                    .set("lease_until", leaseUntil);
            List<Claim> claims = new ArrayList<>(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claims.add(claim(rs));
                }
            }
            return claims;
        }
    }

    /** The sizes of {@code room}, in the order of its key set. */
    private static Array roomSizes(Connection c, Map<String, Integer> room) throws SQLException {
        return c.createArrayOf("integer", room.values().toArray(new Integer[0]));
    }

    private static Claim claim(ResultSet rs) throws SQLException {
        return new Claim(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getInt(5),
                rs.getLong(6),
                instant(rs, 7),
                rs.getString(8),
                rs.getBytes(9),
                rs.getString(10),
                rs.getBoolean(11),
                instant(rs, 12),
                rs.getObject(13, Integer.class));
    }

    /** Health counters of the webhooks a batch touched, as {@link #RECORD_HEALTH} returns them. */
    public record Health(String webhookId, int consecutiveFailures, Instant failingSince, boolean enabled) {}

    /** One webhook's share of a batch, for {@link #RECORD_HEALTH}. */
    public record HealthChange(String webhookId, boolean succeeded, int exhausted, Instant firstFailure) {}

    /** Writes results (and attempt rows) and the health of their webhooks in one transaction. */
    public List<Health> record(List<Outcome> outcomes, List<HealthChange> health, Instant now) throws SQLException {
        return Transactions.run(dataSource, c -> {
            try (Prepared ps = RECORD.prepare(c)) {
                RecordColumns.bind(ps, Columns.of(c, outcomes), now).executeUpdate();
            }
            return health.isEmpty() ? List.of() : recordHealth(c, health);
        });
    }

    private static List<Health> recordHealth(Connection c, List<HealthChange> changes) throws SQLException {
        Columns<HealthChange> columns = Columns.of(c, changes);
        try (Prepared ps = RECORD_HEALTH.prepare(c)) {
            ps.set("webhook_ids", columns.text(HealthChange::webhookId))
                    .set("succeeded", columns.bool(HealthChange::succeeded))
                    .set("exhausted", columns.integer(HealthChange::exhausted))
                    .set("first_failures", columns.timestamptz(HealthChange::firstFailure));
            List<Health> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Health(rs.getString(1), rs.getInt(2), instant(rs, 3), rs.getBoolean(4)));
                }
            }
            return rows;
        }
    }

    /** @return whether the webhook was enabled and is now disabled */
    public boolean disableWebhook(String webhookId, String reason, Instant now) throws SQLException {
        boolean disabled;
        try (Connection c = dataSource.getConnection();
                Prepared ps = DISABLE_WEBHOOK.prepare(c)) {
            disabled = ps.set("reason", reason)
                            .set("now", now)
                            .set("webhook_id", webhookId)
                            .executeUpdate()
                    == 1;
        }
        if (disabled) {
            try {
                webhookDisabled.fire(new WebhookDisabled(webhookId, reason));
            } catch (RuntimeException e) {
                // telling the tenant is best effort: the webhook is disabled either way, and the log says so
                LOG.warnf("Webhook %s disabled, but the tenant could not be told: %s", webhookId, e.getMessage());
            }
        }
        return disabled;
    }

    public int release(List<Outcome.Released> released) throws SQLException {
        if (released.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection();
                Prepared ps = RELEASE.prepare(c)) {
            Columns<Outcome.Released> columns = Columns.of(c, released);
            return ps.set("ids", columns.text(r -> r.claim().deliveryId()))
                    .set("tokens", columns.bigint(r -> r.claim().leaseToken()))
                    .set("not_before", columns.timestamptz(Outcome.Released::notBefore))
                    .executeUpdate();
        }
    }

    public int sweepExpiredLeases(Instant now, int maxAttempts) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Prepared ps = SWEEP_EXPIRED_LEASES.prepare(c)) {
            return ps.set("now", now).set("max_attempts", maxAttempts).executeUpdate();
        }
    }

    /** Runs on the caller's connection, so a revoke cancels in its own transaction. */
    public static int cancelPendingForWebhook(Connection c, String webhookId, String reason, Instant now)
            throws SQLException {
        try (Prepared ps = CANCEL_PENDING_FOR_WEBHOOK.prepare(c)) {
            return ps.set("now", now)
                    .set("reason", reason)
                    .set("webhook_id", webhookId)
                    .executeUpdate();
        }
    }

    public long countInFlight(String webhookId, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Prepared ps = COUNT_IN_FLIGHT_FOR_WEBHOOK.prepare(c)) {
            try (ResultSet rs = ps.set("webhook_id", webhookId).set("now", now).executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The secret rows (still encrypted) that sign for the given webhooks at {@code now}, newest first per webhook. */
    public List<StoredSecret> validSecrets(Collection<String> webhookIds, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Prepared ps = VALID_SECRETS.prepare(c)) {
            ps.set("webhook_ids", Columns.text(c, webhookIds)).set("now", now);
            List<StoredSecret> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StoredSecret s = StoredSecret.of(
                            rs.getString(2),
                            new SecretCipher.Sealed(rs.getString(3), rs.getBytes(4), rs.getBytes(5)),
                            instant(rs, 6));
                    s.id = rs.getLong(1);
                    s.expiresAt = instant(rs, 7);
                    rows.add(s);
                }
            }
            return rows;
        }
    }

    /**
     * What {@link #publish} did: {@code inserted} false when the idempotency key was taken (nothing written; the caller
     * reads the first event), else the number of pending deliveries queued with the event.
     */
    public record Published(boolean inserted, int deliveries) {}

    /**
     * A whole single publish in one statement ({@code queue/publish.sql}): the event row and one pending delivery, due
     * now, per live webhook of the tenant whose filter matches the type, or nothing when the idempotency key is taken.
     * On the caller's connection: auto-commit (the statement is its own transaction, one round trip) or a caller's
     * transaction.
     */
    public static Published publish(
            Connection c, String id, String tenant, String type, byte[] body, String idempotencyKey, Instant now)
            throws SQLException {
        try (Prepared ps = PUBLISH.prepare(c);
                ResultSet rs = ps.set("id", id)
                        .set("tenant", tenant)
                        .set("type", type)
                        .set("body", body)
                        .set("idempotency_key", idempotencyKey)
                        .set("now", now)
                        .executeQuery()) {
            rs.next();
            return new Published(rs.getInt(1) == 1, rs.getInt(2));
        }
    }

    /**
     * Inserts one pending delivery of an event per webhook, due now, on the caller's connection (its transaction: the
     * publish, or a redelivery); returns the new delivery ids in the order of {@code webhookIds}.
     */
    public static List<String> insertPending(
            Connection c, String eventId, String tenant, List<String> webhookIds, Instant now) throws SQLException {
        List<String> ids = new ArrayList<>(webhookIds.size());
        for (int i = 0; i < webhookIds.size(); i++) {
            ids.add(Ids.delivery());
        }
        try (Prepared ps = INSERT_PENDING.prepare(c)) {
            ps.set("event_id", eventId)
                    .set("tenant", tenant)
                    .set("now", now)
                    .set("ids", Columns.text(c, ids))
                    .set("webhook_ids", Columns.text(c, webhookIds))
                    .executeUpdate();
        }
        return List.copyOf(ids);
    }

    /**
     * The pending deliveries of many events at once (a batch publish), on the caller's connection (its transaction):
     * delivery i goes from event {@code eventIds.get(i)} to webhook {@code webhookIds.get(i)}, all due now. One
     * statement whatever the count. Returns the new delivery ids, in the same order.
     */
    public static List<String> insertPendingMany(
            Connection c, String tenant, List<String> eventIds, List<String> webhookIds, Instant now)
            throws SQLException {
        if (eventIds.size() != webhookIds.size()) {
            throw new IllegalArgumentException("one webhook per event id is required");
        }
        List<String> ids = new ArrayList<>(eventIds.size());
        for (int i = 0; i < eventIds.size(); i++) {
            ids.add(Ids.delivery());
        }
        try (Prepared ps = INSERT_PENDING_MANY.prepare(c)) {
            ps.set("tenant", tenant)
                    .set("now", now)
                    .set("ids", Columns.text(c, ids))
                    .set("event_ids", Columns.text(c, eventIds))
                    .set("webhook_ids", Columns.text(c, webhookIds))
                    .executeUpdate();
        }
        return List.copyOf(ids);
    }

    /**
     * Queues again, as new pending deliveries due now, a webhook's failed deliveries created in [{@code since},
     * {@code until}) that have no waiting, in-flight or successful copy yet, oldest first, at most {@code max}; on the
     * caller's connection (its transaction). Returns how many were queued: calling it twice for the same window
     * queues nothing the second time.
     */
    public static int recoverFailed(
            Connection c, String tenant, String webhookId, Instant since, Instant until, int max, Instant now)
            throws SQLException {
        List<String> originals = new ArrayList<>();
        try (Prepared ps = RECOVERABLE.prepare(c)) {
            ps.set("webhook_id", webhookId)
                    .set("tenant", tenant)
                    .set("since", since)
                    .set("until", until)
                    .set("max", max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    originals.add(rs.getString(1));
                }
            }
        }
        if (originals.isEmpty()) {
            return 0;
        }
        List<String> ids = new ArrayList<>(originals.size());
        for (int i = 0; i < originals.size(); i++) {
            ids.add(Ids.delivery());
        }
        try (Prepared ps = INSERT_RECOVERED.prepare(c)) {
            return ps.set("ids", Columns.text(c, ids))
                    .set("originals", Columns.text(c, originals))
                    .set("now", now)
                    .executeUpdate();
        }
    }

    /** Inserts a delivery claimed by the caller, on the caller's connection (its transaction); returns the token. */
    public static long insertClaimed(
            Connection c,
            String deliveryId,
            String eventId,
            String webhookId,
            String tenant,
            Instant now,
            Instant leaseUntil)
            throws SQLException {
        try (Prepared ps = INSERT_CLAIMED.prepare(c)) {
            ps.set("id", deliveryId)
                    .set("event_id", eventId)
                    .set("webhook_id", webhookId)
                    .set("tenant", tenant)
                    .set("now", now)
                    .set("lease_until", leaseUntil);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Rows pending, due and in flight (each capped at a million). */
    public record Depth(long pending, long due, long inFlight) {}

    public Depth depth(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Prepared ps = DEPTH.prepare(c)) {
            try (ResultSet rs = ps.set("now", now).executeQuery()) {
                rs.next();
                return new Depth(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }

    /** Wakes every replica's dispatcher ({@link #CHANNEL}); the PublishNotifier sends it after publishes commit. */
    public void notifyDispatchers() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Prepared ps = NOTIFY.prepare(c);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}
