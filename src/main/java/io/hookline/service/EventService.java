package io.hookline.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.hookline.common.Ids;
import io.hookline.config.HooklineConfig;
import io.hookline.contract.EventApi;
import io.hookline.contract.ProblemException;
import io.hookline.contract.PublishRequest;
import io.hookline.contract.Text;
import io.hookline.contract.Validation;
import io.hookline.queue.DeliveriesQueued;
import io.hookline.queue.DeliveryQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Publishing: the event row, one delivery per matching webhook and the NOTIFY that wakes the dispatchers, in one
 * transaction; either all of it is there or none of it.
 */
@ApplicationScoped
public class EventService {
    static final int MAX_KEY = 255;

    /**
     * First writer wins; a concurrent second one waits for it, then finds its row (no error, no duplicate). The last
     * parameter says whether the event is in the feed: its xid is then this transaction's (see {@link EventFeed}), else
     * null (the test event).
     */
    static final String INSERT_EVENT = """
            INSERT INTO event (id, tenant, type, body, idempotency_key, created_at, xid)
            VALUES (?, ?, ?, ?, ?, ?, CASE WHEN ? THEN pg_current_xact_id() END)
            ON CONFLICT (tenant, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            """;

    static final String FIND_BY_KEY = """
            SELECT e.id, e.type, e.created_at, (SELECT count(*) FROM delivery d WHERE d.event_id = e.id)
            FROM event e WHERE e.tenant = ? AND e.idempotency_key = ?
            """;
    /** The tenant's live webhooks whose filter matches: empty filter, the exact type, or a prefix ending in '*'. */
    static final String MATCHING_WEBHOOKS = """
            SELECT id FROM webhook
            WHERE tenant = ? AND enabled AND revoked_at IS NULL
              AND (cardinality(event_types) = 0 OR EXISTS (
                    SELECT 1 FROM unnest(event_types) AS f(t)
                    WHERE f.t = ? OR (right(f.t, 1) = '*' AND starts_with(?, left(f.t, -1)))))
            """;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    HooklineConfig config;

    @Inject
    Clock clock;

    @Inject
    Event<DeliveriesQueued> queued;

    @Inject
    Event<EventFeed.Appended> appended;

    public record Result(EventApi.Published event, boolean replayed) {}

    @Transactional
    public Result publish(String tenant, PublishRequest request, String idempotencyHeader) {
        Validation v = new Validation();
        String type = request.type();
        if (type != null
                && (type.isEmpty()
                        || type.length() > WebhookRules.MAX_EVENT_TYPE
                        || !WebhookRules.EVENT_TYPE.matcher(type).matches())) {
            v.fail("type", "must be 1 to 255 characters of a-z, 0-9, '_', '.', '-'");
        }
        String key = idempotencyKey(request.id(), idempotencyHeader, v);
        v.throwIfInvalid();

        String id = Ids.event();
        Instant now = clock.instant();
        byte[] body = Envelope.render(json, id, type, now, request.data());
        int max = config.events().maxPayloadBytes();
        if (body.length > max) {
            throw ProblemException.tooLarge("the event is " + body.length + " bytes as sent; at most " + max
                    + " bytes are accepted (hookline.events.max-payload-bytes)");
        }
        try (Connection c = dataSource.getConnection()) {
            if (!insertEvent(c, id, tenant, type, body, key, now)) {
                return new Result(
                        existing(c, tenant, key)
                                .orElseThrow(() -> new IllegalStateException("idempotency conflict without a row")),
                        true);
            }
            appended.fire(new EventFeed.Appended(tenant));
            List<String> webhooks = matchingWebhooks(c, tenant, type);
            if (!webhooks.isEmpty()) {
                DeliveryQueue.insertPending(c, id, tenant, webhooks, now);
                queued.fire(DeliveriesQueued.NOW);
            }
            return new Result(new EventApi.Published(id, type, now, webhooks.size()), false);
        } catch (SQLException e) {
            throw new IllegalStateException("publishing failed", e);
        }
    }

    private static String idempotencyKey(String bodyId, String header, Validation v) {
        String key = header != null ? header : bodyId;
        if (header != null && bodyId != null && !header.equals(bodyId)) {
            v.fail("id", "differs from the Idempotency-Key header; give one or make them equal");
        } else if (key != null && (key.isBlank() || key.length() > MAX_KEY)) {
            v.fail(header != null ? "Idempotency-Key" : "id", "must be 1 to " + MAX_KEY + " characters");
        } else if (key != null && !Text.storable(key)) {
            v.fail(header != null ? "Idempotency-Key" : "id", Text.UNSTORABLE);
        }
        return key;
    }

    /**
     * Inserts an event of the tenant's feed.
     *
     * @return false when the idempotency key is taken (the row is then not inserted)
     */
    public static boolean insertEvent(
            Connection c, String id, String tenant, String type, byte[] body, String key, Instant now)
            throws SQLException {
        return insertEvent(c, id, tenant, type, body, key, now, true);
    }

    /** As {@link #insertEvent(Connection, String, String, String, byte[], String, Instant)}, in the feed or not. */
    public static boolean insertEvent(
            Connection c, String id, String tenant, String type, byte[] body, String key, Instant now, boolean inFeed)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            ps.setString(1, id);
            ps.setString(2, tenant);
            ps.setString(3, type);
            ps.setBytes(4, body);
            ps.setString(5, key);
            ps.setObject(6, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setBoolean(7, inFeed);
            return ps.executeUpdate() == 1;
        }
    }

    private static Optional<EventApi.Published> existing(Connection c, String tenant, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FIND_BY_KEY)) {
            ps.setString(1, tenant);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new EventApi.Published(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(),
                        rs.getInt(4)));
            }
        }
    }

    private static List<String> matchingWebhooks(Connection c, String tenant, String type) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(MATCHING_WEBHOOKS)) {
            ps.setString(1, tenant);
            ps.setString(2, type);
            ps.setString(3, type);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }
}
