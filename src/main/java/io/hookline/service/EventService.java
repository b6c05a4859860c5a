package io.hookline.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.hookline.common.Ids;
import io.hookline.common.sql.Prepared;
import io.hookline.common.sql.Sql;
import io.hookline.config.HooklineConfig;
import io.hookline.contract.EventApi;
import io.hookline.contract.ProblemException;
import io.hookline.contract.PublishRequest;
import io.hookline.queue.DeliveriesQueued;
import io.hookline.queue.DeliveryQueue;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Publishing: the event row, one delivery per matching webhook and the NOTIFY that wakes the dispatchers, in one
 * transaction; either all of it is there or none of it.
 */
@ApplicationScoped
@Startup // loads its statements at start-up: a missing file fails the start, not the first publish
public class EventService {
    // statements in src/main/resources/sql/events/, each with the index that serves it (sql/README.md)
    static final Sql INSERT_EVENT = Sql.load("events/insert-event.sql");
    static final Sql FIND_BY_KEY = Sql.load("events/find-by-key.sql");
    static final Sql MATCHING_WEBHOOKS_OPERATIONAL = Sql.load("events/matching-webhooks-operational.sql");

    /** Hookline's own events: the API refuses types under this prefix (see PublishRequest). */
    public static final String WEBHOOK_DISABLED = "hookline.webhook.disabled";

    public static final String WEBHOOK_SECRET_ROTATED = "hookline.webhook.secret_rotated";
    public static final String WEBHOOK_REVOKED = "hookline.webhook.revoked";

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

    /**
     * The 413 of an event whose rendered body ({@code meta} and {@code data}, as deliveries send it) is over {@code max}
     * bytes ({@code hookline.events.max-payload-bytes}); null when it fits. A single publish and each event of a batch.
     */
    static ProblemException tooLarge(byte[] body, int max) {
        return body.length <= max
                ? null
                : ProblemException.tooLarge("the event is " + body.length + " bytes as sent; at most " + max
                        + " bytes are accepted (hookline.events.max-payload-bytes)");
    }

    /**
     * Publishes a request whose fields the resource has validated; the {@code Idempotency-Key} header, when given,
     * is the key (the resource checked that it equals the body's id, if both are given).
     * <p>
     * One statement ({@code queue/publish.sql}) writes the event and its deliveries, all or nothing. Not
     * {@code @Transactional}: called from the API, with no transaction, it runs on an auto-commit connection and is its
     * own transaction (one round trip to PostgreSQL, no JTA); called inside a transaction (the ingest publisher's), it
     * joins it. Either way the CDI events below reach their {@code AFTER_SUCCESS} observers after the commit: at once
     * when there was no transaction, since the statement has committed when it returns.
     */
    public Result publish(String tenant, PublishRequest request, String idempotencyHeader) {
        String type = request.type();
        String key = idempotencyHeader != null ? idempotencyHeader : request.id();

        String id = Ids.event();
        Instant now = clock.instant();
        byte[] body = Envelope.render(json, id, type, now, request.data());
        ProblemException tooLarge = tooLarge(body, config.events().maxPayloadBytes());
        if (tooLarge != null) {
            throw tooLarge;
        }
        int deliveries;
        try (Connection c = dataSource.getConnection()) {
            DeliveryQueue.Published published = DeliveryQueue.publish(c, id, tenant, type, body, key, now);
            if (!published.inserted()) {
                return new Result(
                        existing(c, tenant, key)
                                .orElseThrow(() -> new IllegalStateException("idempotency conflict without a row")),
                        true);
            }
            deliveries = published.deliveries();
        } catch (SQLException e) {
            throw new IllegalStateException("publishing failed", e);
        }
        appended.fire(new EventFeed.Appended(tenant));
        if (deliveries > 0) {
            queued.fire(DeliveriesQueued.NOW);
        }
        return new Result(new EventApi.Published(id, type, now, deliveries), false);
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
        try (Prepared ps = INSERT_EVENT.prepare(c)) {
            return ps.set("id", id)
                            .set("tenant", tenant)
                            .set("type", type)
                            .set("body", body)
                            .set("idempotency_key", key)
                            .set("now", now)
                            .set("in_feed", inFeed)
                            .executeUpdate()
                    == 1;
        }
    }

    /**
     * Publishes one of Hookline's own events ({@code hookline.…}) to a tenant, on the caller's transaction: stored like
     * any event (the feed and the log show it), delivered to the tenant's webhooks that subscribed to it by name, never
     * to {@code aboutWebhook}, the webhook it is about.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public String publishOperational(String tenant, String type, JsonNode data, String aboutWebhook) {
        String id = Ids.event();
        Instant now = clock.instant();
        byte[] body = Envelope.render(json, id, type, now, data);
        try (Connection c = dataSource.getConnection()) {
            insertEvent(c, id, tenant, type, body, null, now);
            appended.fire(new EventFeed.Appended(tenant));
            List<String> webhooks = new ArrayList<>();
            try (Prepared ps = MATCHING_WEBHOOKS_OPERATIONAL.prepare(c);
                    ResultSet rs = ps.set("tenant", tenant)
                            .set("type", type)
                            .set("except_id", aboutWebhook)
                            .executeQuery()) {
                while (rs.next()) {
                    webhooks.add(rs.getString(1));
                }
            }
            if (!webhooks.isEmpty()) {
                DeliveryQueue.insertPending(c, id, tenant, webhooks, now);
                queued.fire(DeliveriesQueued.NOW);
            }
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException("publishing " + type + " failed", e);
        }
    }

    private static Optional<EventApi.Published> existing(Connection c, String tenant, String key) throws SQLException {
        try (Prepared ps = FIND_BY_KEY.prepare(c);
                ResultSet rs =
                        ps.set("tenant", tenant).set("idempotency_key", key).executeQuery()) {
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
