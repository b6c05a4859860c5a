package io.hookline.queue;

import io.agroal.api.AgroalDataSource;
import io.hookline.common.Ids;
import io.hookline.config.HooklineConfig;
import io.hookline.store.DeliveryStatus;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Every statement of the delivery queue, each named, in one place. The queue is the {@code delivery} table:
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
public class DeliveryQueue {

    /**
     * Claims up to N due deliveries. SKIP LOCKED lets any number of replicas claim at once without waiting on each
     * other; the partial index {@code delivery_due} serves the inner SELECT however many finished rows the table holds.
     * The attempt is counted here, so a delivery that crashes its replica on every try still runs out of attempts.
     * Claims match what this replica can send soon: webhooks it cannot send more to (at their concurrency limit with
     * as many claims waiting as they can start soon, or paused by a Retry-After) are skipped, and of the others each
     * gets at most its room (the given list, or the default room for a webhook without a lane here) in due order; the
     * rows beyond it were locked for the statement only and stay pending, untouched.
     */
    static final String CLAIM = """
            WITH due AS (
                SELECT id, webhook_id, next_attempt_at FROM delivery
                WHERE status = 'pending' AND next_attempt_at <= ? AND webhook_id <> ALL (?::text[])
                ORDER BY next_attempt_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            ), fits AS (
                SELECT ranked.id FROM (
                    SELECT due.id, COALESCE(room.n, ?) AS room,
                           row_number() OVER (PARTITION BY due.webhook_id ORDER BY due.next_attempt_at) AS nth
                    FROM due LEFT JOIN unnest(?::text[], ?::int[]) AS room(webhook_id, n)
                        ON room.webhook_id = due.webhook_id
                ) ranked
                WHERE ranked.nth <= ranked.room
            )
            UPDATE delivery d
            SET status = 'in_flight', attempts = d.attempts + 1, lease_until = ?,
                lease_token = nextval('delivery_lease_token')
            FROM fits, event e, webhook w
            WHERE d.id = fits.id AND e.id = d.event_id AND w.id = d.webhook_id
            RETURNING d.id, d.event_id, d.webhook_id, d.tenant, d.attempts, d.lease_token, d.lease_until,
                      e.type, e.body, w.url, (w.enabled AND w.revoked_at IS NULL), e.created_at, w.max_concurrency
            """;

    /**
     * Writes a batch of results and their attempt rows in one statement. The UPDATE only matches rows still holding
     * the result's lease token; attempt rows are inserted only for the rows it matched.
     */
    static final String RECORD = """
            WITH r AS (
                SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::timestamptz[], ?::timestamptz[],
                                     ?::timestamptz[], ?::int[], ?::int[], ?::text[], ?::text[], ?::text[])
                    AS r(id, token, status, next_at, completed_at, started_at, duration_ms, code, body,
                         error_class, error_message)
            ), done AS (
                UPDATE delivery d
                SET status = r.status,
                    next_attempt_at = COALESCE(r.next_at, d.next_attempt_at),
                    attempts = CASE WHEN r.started_at IS NULL THEN d.attempts - 1 ELSE d.attempts END,
                    lease_until = NULL, lease_token = NULL,
                    last_status_code = COALESCE(r.code, CASE WHEN r.started_at IS NULL THEN d.last_status_code END),
                    last_error = r.error_message,
                    completed_at = r.completed_at
                FROM r
                WHERE d.id = r.id AND d.lease_token = r.token AND d.status = 'in_flight'
                RETURNING d.id, d.attempts
            )
            INSERT INTO delivery_attempt (delivery_id, attempt, started_at, duration_ms, response_status, response_body,
                                          error_class, error_message)
            SELECT r.id, done.attempts, r.started_at, r.duration_ms, r.code, r.body, r.error_class, r.error_message
            FROM r JOIN done ON done.id = r.id
            WHERE r.started_at IS NOT NULL
            ON CONFLICT DO NOTHING
            """;

    /**
     * Endpoint health after a batch: a success resets the failure run, a failure starts it (failing_since), a
     * delivery that ran out of attempts adds to consecutive_failures. Healthy webhooks with only successes are not
     * written at all.
     */
    static final String RECORD_HEALTH = """
            UPDATE webhook w
            SET consecutive_failures = CASE WHEN h.succeeded THEN 0 ELSE w.consecutive_failures + h.exhausted END,
                failing_since = CASE WHEN h.succeeded THEN NULL ELSE COALESCE(w.failing_since, h.first_failure) END
            FROM unnest(?::text[], ?::boolean[], ?::int[], ?::timestamptz[]) AS h(id, succeeded, exhausted, first_failure)
            WHERE w.id = h.id AND w.revoked_at IS NULL
              AND (NOT h.succeeded OR w.consecutive_failures > 0 OR w.failing_since IS NOT NULL)
            RETURNING w.id, w.consecutive_failures, w.failing_since, w.enabled
            """;

    /** Disables a webhook with a reason (410 Gone, or failing for too long). */
    static final String DISABLE_WEBHOOK = """
            UPDATE webhook SET enabled = false, disabled_reason = ?, updated_at = ?
            WHERE id = ? AND enabled AND revoked_at IS NULL
            """;

    /** Gives claims that were never started back to the queue, uncounted. */
    static final String RELEASE = """
            UPDATE delivery d
            SET status = 'pending', attempts = d.attempts - 1, lease_until = NULL, lease_token = NULL,
                next_attempt_at = COALESCE(r.not_before, d.next_attempt_at)
            FROM unnest(?::text[], ?::bigint[], ?::timestamptz[]) AS r(id, token, not_before)
            WHERE d.id = r.id AND d.lease_token = r.token AND d.status = 'in_flight'
            """;

    /**
     * Returns the claims of replicas that died (lease expired) to the queue; the attempt they spent still counts, and
     * a delivery that has spent every attempt that way is failed. Served by the partial index {@code delivery_lease}.
     */
    static final String SWEEP_EXPIRED_LEASES = """
            WITH expired AS (
                SELECT id FROM delivery
                WHERE status = 'in_flight' AND lease_until < ?
                ORDER BY lease_until
                LIMIT 1000
                FOR UPDATE SKIP LOCKED
            )
            UPDATE delivery d
            SET status = CASE WHEN d.attempts >= ? THEN 'failed' ELSE 'pending' END,
                next_attempt_at = ?,
                completed_at = CASE WHEN d.attempts >= ? THEN ? END,
                last_error = 'lease expired: the replica sending it stopped',
                lease_until = NULL, lease_token = NULL
            FROM expired WHERE d.id = expired.id
            """;

    /** Cancels a webhook's deliveries that are waiting (revoke). In-flight ones are left to finish. */
    static final String CANCEL_PENDING_FOR_WEBHOOK = """
            UPDATE delivery SET status = 'cancelled', completed_at = ?, last_error = ?
            WHERE webhook_id = ? AND status = 'pending'
            """;

    /** In-flight deliveries of a webhook whose lease has not expired: a revoke waits for them. */
    static final String COUNT_IN_FLIGHT_FOR_WEBHOOK = """
            SELECT count(*) FROM delivery WHERE webhook_id = ? AND status = 'in_flight' AND lease_until >= ?
            """;

    /**
     * The secrets that sign a batch: every valid secret of the batch's webhooks, newest first (one round trip per
     * batch, not per delivery).
     */
    static final String VALID_SECRETS = """
            SELECT id, webhook_id, key_id, nonce, ciphertext FROM webhook_secret
            WHERE webhook_id = ANY(?) AND (expires_at IS NULL OR expires_at > ?)
            ORDER BY webhook_id, created_at DESC, id DESC
            """;

    /** The pending deliveries of a publish or a redelivery: one row per webhook, due at once. */
    static final String INSERT_PENDING = """
            INSERT INTO delivery (id, event_id, webhook_id, tenant, status, next_attempt_at, created_at)
            SELECT d.id, ?, d.webhook_id, ?, 'pending', ?, ? FROM unnest(?::text[], ?::text[]) AS d(id, webhook_id)
            """;

    /**
     * A delivery created already claimed by the caller: the synchronous test send, which bypasses the queue but is
     * recorded through it like any other attempt.
     */
    static final String INSERT_CLAIMED = """
            INSERT INTO delivery (id, event_id, webhook_id, tenant, status, attempts, next_attempt_at, lease_until,
                                  lease_token, created_at)
            VALUES (?, ?, ?, ?, 'in_flight', 1, ?, ?, nextval('delivery_lease_token'), ?)
            RETURNING lease_token
            """;

    /**
     * Queue depth for the metrics, by status: each count runs on its partial index and stops at a million rows, so a
     * scrape costs the same however large the backlog.
     */
    static final String DEPTH = """
            SELECT (SELECT count(*) FROM (SELECT 1 FROM delivery WHERE status = 'pending' LIMIT 1000000) p),
                   (SELECT count(*) FROM (SELECT 1 FROM delivery WHERE status = 'pending' AND next_attempt_at <= ?
                                          LIMIT 1000000) d),
                   (SELECT count(*) FROM (SELECT 1 FROM delivery WHERE status = 'in_flight' LIMIT 1000000) f)
            """;

    /** Wakes every replica's dispatcher after a publish has committed; sent, coalesced, by the PublishNotifier. */
    public static final String NOTIFY = "SELECT pg_notify('hookline_deliveries', '')";

    public static final String CHANNEL = "hookline_deliveries";

    @Inject
    @DataSource("queue")
    AgroalDataSource dataSource;

    @Inject
    HooklineConfig config;

    /** How long a claim is held: the request timeout plus a margin for recording its result. */
    public Duration leaseDuration() {
        return config.delivery().timeout().plus(config.dispatcher().leaseMargin());
    }

    public List<Claim> claim(int limit, Instant now, Instant leaseUntil) throws SQLException {
        return claim(limit, now, leaseUntil, List.of(), Map.of(), limit);
    }

    /**
     * @param skipWebhooks webhooks not to claim for at all
     * @param room how many claims each listed webhook may get at most
     * @param defaultRoom how many a webhook not in {@code room} may get
     */
    public List<Claim> claim(
            int limit,
            Instant now,
            Instant leaseUntil,
            Collection<String> skipWebhooks,
            Map<String, Integer> room,
            int defaultRoom)
            throws SQLException {
        String[] roomIds = new String[room.size()];
        Integer[] roomSizes = new Integer[room.size()];
        int i = 0;
        for (Map.Entry<String, Integer> e : room.entrySet()) {
            roomIds[i] = e.getKey();
            roomSizes[i++] = e.getValue();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setObject(1, ts(now));
            ps.setArray(2, c.createArrayOf("text", skipWebhooks.toArray(String[]::new)));
            ps.setInt(3, limit);
            ps.setInt(4, defaultRoom);
            ps.setArray(5, c.createArrayOf("text", roomIds));
            ps.setArray(6, c.createArrayOf("integer", roomSizes));
            ps.setObject(7, ts(leaseUntil));
            List<Claim> claims = new ArrayList<>(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claims.add(new Claim(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getInt(5),
                            rs.getLong(6),
                            rs.getObject(7, OffsetDateTime.class).toInstant(),
                            rs.getString(8),
                            rs.getBytes(9),
                            rs.getString(10),
                            rs.getBoolean(11),
                            rs.getObject(12, OffsetDateTime.class).toInstant(),
                            rs.getObject(13, Integer.class)));
                }
            }
            return claims;
        }
    }

    /** Health counters of the webhooks a batch touched, as {@link #RECORD_HEALTH} returns them. */
    public record Health(String webhookId, int consecutiveFailures, Instant failingSince, boolean enabled) {}

    /** One webhook's share of a batch, for {@link #RECORD_HEALTH}. */
    public record HealthChange(String webhookId, boolean succeeded, int exhausted, Instant firstFailure) {}

    /** Writes results (and attempt rows) and the health of their webhooks in one transaction. */
    public List<Health> record(List<Outcome> outcomes, List<HealthChange> health, Instant now) throws SQLException {
        int n = outcomes.size();
        String[] ids = new String[n];
        Long[] tokens = new Long[n];
        String[] statuses = new String[n];
        String[] nextAt = new String[n];
        String[] completedAt = new String[n];
        String[] startedAt = new String[n];
        Integer[] durations = new Integer[n];
        Integer[] codes = new Integer[n];
        String[] bodies = new String[n];
        String[] errorClasses = new String[n];
        String[] errorMessages = new String[n];
        for (int i = 0; i < n; i++) {
            Outcome o = outcomes.get(i);
            ids[i] = o.claim().deliveryId();
            tokens[i] = o.claim().leaseToken();
            if (o instanceof Outcome.Attempted a) {
                AttemptRecord r = a.attempt();
                startedAt[i] = r.startedAt().toString();
                durations[i] = r.durationMs();
                codes[i] = r.responseStatus();
                // the sender already made these storable; checked again here, where a 0x00 would fail the batch
                bodies[i] = LogText.storable(r.responseBody());
                errorClasses[i] = r.errorClass() == null ? null : r.errorClass().value();
                errorMessages[i] = LogText.message(r.errorMessage());
            }
            statuses[i] = status(o).value();
            if (o instanceof Outcome.Retry r) {
                nextAt[i] = r.nextAttemptAt().toString();
            } else {
                completedAt[i] = now.toString();
            }
            if (o instanceof Outcome.Cancelled c) {
                errorMessages[i] = LogText.message(c.reason());
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement(RECORD)) {
                    int p = 1;
                    ps.setArray(p++, c.createArrayOf("text", ids));
                    ps.setArray(p++, c.createArrayOf("bigint", tokens));
                    ps.setArray(p++, c.createArrayOf("text", statuses));
                    ps.setArray(p++, c.createArrayOf("text", nextAt));
                    ps.setArray(p++, c.createArrayOf("text", completedAt));
                    ps.setArray(p++, c.createArrayOf("text", startedAt));
                    ps.setArray(p++, c.createArrayOf("integer", durations));
                    ps.setArray(p++, c.createArrayOf("integer", codes));
                    ps.setArray(p++, c.createArrayOf("text", bodies));
                    ps.setArray(p++, c.createArrayOf("text", errorClasses));
                    ps.setArray(p, c.createArrayOf("text", errorMessages));
                    ps.executeUpdate();
                }
                List<Health> result = health.isEmpty() ? List.of() : recordHealth(c, health);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static List<Health> recordHealth(Connection c, List<HealthChange> changes) throws SQLException {
        int n = changes.size();
        String[] ids = new String[n];
        Boolean[] succeeded = new Boolean[n];
        Integer[] exhausted = new Integer[n];
        String[] firstFailure = new String[n];
        for (int i = 0; i < n; i++) {
            HealthChange h = changes.get(i);
            ids[i] = h.webhookId();
            succeeded[i] = h.succeeded();
            exhausted[i] = h.exhausted();
            firstFailure[i] = h.firstFailure() == null ? null : h.firstFailure().toString();
        }
        try (PreparedStatement ps = c.prepareStatement(RECORD_HEALTH)) {
            ps.setArray(1, c.createArrayOf("text", ids));
            ps.setArray(2, c.createArrayOf("boolean", succeeded));
            ps.setArray(3, c.createArrayOf("integer", exhausted));
            ps.setArray(4, c.createArrayOf("text", firstFailure));
            List<Health> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime since = rs.getObject(3, OffsetDateTime.class);
                    rows.add(new Health(
                            rs.getString(1), rs.getInt(2), since == null ? null : since.toInstant(), rs.getBoolean(4)));
                }
            }
            return rows;
        }
    }

    private static DeliveryStatus status(Outcome o) {
        if (o instanceof Outcome.Succeeded) {
            return DeliveryStatus.SUCCEEDED;
        } else if (o instanceof Outcome.Retry) {
            return DeliveryStatus.PENDING;
        } else if (o instanceof Outcome.Failed) {
            return DeliveryStatus.FAILED;
        } else if (o instanceof Outcome.Cancelled) {
            return DeliveryStatus.CANCELLED;
        }
        throw new IllegalArgumentException("released claims go through release(), not record()");
    }

    /** @return whether the webhook was enabled and is now disabled */
    public boolean disableWebhook(String webhookId, String reason, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(DISABLE_WEBHOOK)) {
            ps.setString(1, reason);
            ps.setObject(2, ts(now));
            ps.setString(3, webhookId);
            return ps.executeUpdate() == 1;
        }
    }

    public int release(List<Outcome.Released> released) throws SQLException {
        if (released.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(RELEASE)) {
            ps.setArray(
                    1,
                    c.createArrayOf(
                            "text",
                            released.stream().map(r -> r.claim().deliveryId()).toArray(String[]::new)));
            ps.setArray(
                    2,
                    c.createArrayOf(
                            "bigint",
                            released.stream().map(r -> r.claim().leaseToken()).toArray(Long[]::new)));
            ps.setArray(
                    3,
                    c.createArrayOf(
                            "text",
                            released.stream()
                                    .map(r -> r.notBefore() == null
                                            ? null
                                            : r.notBefore().toString())
                                    .toArray(String[]::new)));
            return ps.executeUpdate();
        }
    }

    public int sweepExpiredLeases(Instant now, int maxAttempts) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(SWEEP_EXPIRED_LEASES)) {
            ps.setObject(1, ts(now));
            ps.setInt(2, maxAttempts);
            ps.setObject(3, ts(now));
            ps.setInt(4, maxAttempts);
            ps.setObject(5, ts(now));
            return ps.executeUpdate();
        }
    }

    /** Runs on the caller's connection, so a revoke cancels in its own transaction. */
    public static int cancelPendingForWebhook(Connection c, String webhookId, String reason, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CANCEL_PENDING_FOR_WEBHOOK)) {
            ps.setObject(1, ts(now));
            ps.setString(2, reason);
            ps.setString(3, webhookId);
            return ps.executeUpdate();
        }
    }

    public long countInFlight(String webhookId, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(COUNT_IN_FLIGHT_FOR_WEBHOOK)) {
            ps.setString(1, webhookId);
            ps.setObject(2, ts(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A stored secret row, still encrypted. */
    public record SealedSecret(long id, String webhookId, String keyId, byte[] nonce, byte[] ciphertext) {}

    public List<SealedSecret> validSecrets(Collection<String> webhookIds, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(VALID_SECRETS)) {
            ps.setArray(1, c.createArrayOf("text", webhookIds.toArray(String[]::new)));
            ps.setObject(2, ts(now));
            List<SealedSecret> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new SealedSecret(
                            rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getBytes(5)));
                }
            }
            return rows;
        }
    }

    /**
     * Inserts one pending delivery of an event per webhook, due now, on the caller's connection (its transaction: the
     * publish, or a redelivery); returns the new delivery ids in the order of {@code webhookIds}.
     */
    public static List<String> insertPending(
            Connection c, String eventId, String tenant, List<String> webhookIds, Instant now) throws SQLException {
        String[] ids = new String[webhookIds.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Ids.delivery();
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_PENDING)) {
            ps.setString(1, eventId);
            ps.setString(2, tenant);
            ps.setObject(3, ts(now));
            ps.setObject(4, ts(now));
            ps.setArray(5, c.createArrayOf("text", ids));
            ps.setArray(6, c.createArrayOf("text", webhookIds.toArray(String[]::new)));
            ps.executeUpdate();
        }
        return List.of(ids);
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
        try (PreparedStatement ps = c.prepareStatement(INSERT_CLAIMED)) {
            ps.setString(1, deliveryId);
            ps.setString(2, eventId);
            ps.setString(3, webhookId);
            ps.setString(4, tenant);
            ps.setObject(5, ts(now));
            ps.setObject(6, ts(leaseUntil));
            ps.setObject(7, ts(now));
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
                PreparedStatement ps = c.prepareStatement(DEPTH)) {
            ps.setObject(1, ts(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Depth(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        }
    }

    static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
