package io.hookline.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.hookline.common.Ids;
import io.hookline.common.sql.Columns;
import io.hookline.common.sql.Prepared;
import io.hookline.common.sql.Sql;
import io.hookline.config.HooklineConfig;
import io.hookline.contract.BatchApi;
import io.hookline.contract.EventApi;
import io.hookline.contract.Problem;
import io.hookline.contract.ProblemException;
import io.hookline.contract.PublishBatch;
import io.hookline.contract.PublishRequest;
import io.hookline.contract.Validation;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Batch publishing ({@code POST /v1/events/batch}): every event of a batch, and the deliveries of each, in one
 * transaction and a handful of statements whatever the batch's size: one INSERT of the events ({@code unnest}), one
 * read of the replayed keys when there are any, one read of the webhooks matching the batch's distinct types, one
 * INSERT of all deliveries. A publish of 1,000 events to N webhooks is those four round trips, not 1,000 × 3.
 * <p>
 * Each event is judged as {@link EventService#publish} judges one (the resource has applied the request rules; here
 * the size of the rendered event), and answers what a single publish would have answered: 202 with the event, the
 * first event of its idempotency key when the key was used before ({@code replayed}), or its problem. An idempotency
 * key repeated inside one batch is a replay of its first good event in the batch. With {@code atomic}, any problem
 * refuses the whole batch with one 422 naming each event at fault, before anything is written. A database failure
 * rolls back the whole batch: no half-written batch, whatever the mode.
 */
@ApplicationScoped
@Startup // loads its statements at start-up: a missing file fails the start, not the first batch
public class EventBatches {
    static final Sql INSERT_EVENTS = Sql.load("events/insert-events.sql");
    static final Sql FIND_BY_KEYS = Sql.load("events/find-by-keys.sql");
    static final Sql MATCHING_WEBHOOKS_FOR_TYPES = Sql.load("events/matching-webhooks-for-types.sql");

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

    /** An event of the batch that is to be stored (or replayed): its request, id and rendered body. */
    private record Pending(int index, PublishRequest request, String id, byte[] body) {
        String key() {
            return request.id();
        }
    }

    /**
     * Publishes a batch whose items the resource has read and checked (an item that broke a rule carries its
     * problem); returns one result per item, in order.
     */
    @Transactional
    public List<BatchApi.Result> publish(String tenant, PublishBatch batch) {
        Instant now = clock.instant();
        int max = config.events().maxPayloadBytes();
        BatchApi.Result[] results = new BatchApi.Result[batch.items().size()];
        List<Pending> fresh = new ArrayList<>();
        // a key's first good event in the batch; later ones with the key replay it
        Map<String, Pending> firstOfKey = new HashMap<>();
        Map<Integer, Pending> repeats = new HashMap<>();
        Validation refused = new Validation();
        for (PublishBatch.Item item : batch.items()) {
            ProblemException problem = item.problem();
            Pending pending = null;
            if (problem == null) {
                String key = item.request().id();
                Pending first = key == null ? null : firstOfKey.get(key);
                if (first != null) {
                    repeats.put(item.index(), first);
                    continue;
                }
                String id = Ids.event();
                byte[] body = Envelope.render(
                        json, id, item.request().type(), now, item.request().data());
                problem = EventService.tooLarge(body, max);
                if (problem == null) {
                    pending = new Pending(item.index(), item.request(), id, body);
                }
            }
            if (problem != null) {
                results[item.index()] = BatchApi.Result.refused(item.index(), problem);
                name(refused, item.index(), problem.toProblem());
                continue;
            }
            fresh.add(pending);
            if (pending.key() != null) {
                firstOfKey.put(pending.key(), pending);
            }
        }
        if (batch.atomic()) {
            // nothing has been written yet: the whole request is refused, naming each event at fault
            refused.throwIfInvalid();
        }
        try (Connection c = dataSource.getConnection()) {
            Map<Integer, BatchApi.Result> written = write(c, tenant, fresh, now);
            written.forEach((index, result) -> results[index] = result);
        } catch (SQLException e) {
            throw new IllegalStateException("publishing a batch failed", e);
        }
        repeats.forEach((index, first) -> {
            BatchApi.Result original = results[first.index()];
            results[index] = new BatchApi.Result(
                    index,
                    original.status(),
                    original.id(),
                    original.type(),
                    original.occurredAt(),
                    original.deliveries(),
                    true,
                    null);
        });
        return List.of(results);
    }

    /** Stores the events not yet published and their deliveries; reads back the ones whose key was taken. */
    private Map<Integer, BatchApi.Result> write(Connection c, String tenant, List<Pending> events, Instant now)
            throws SQLException {
        Map<Integer, BatchApi.Result> results = new HashMap<>();
        if (events.isEmpty()) {
            return results;
        }
        Set<String> inserted = new HashSet<>();
        Columns<Pending> columns = Columns.of(c, events);
        try (Prepared ps = INSERT_EVENTS.prepare(c);
                ResultSet rs = ps.set("tenant", tenant)
                        .set("now", now)
                        .set("ids", columns.text(Pending::id))
                        .set("types", columns.text(p -> p.request().type()))
                        .set("bodies", columns.bytea(Pending::body))
                        .set("idempotency_keys", columns.text(Pending::key))
                        .executeQuery()) {
            while (rs.next()) {
                inserted.add(rs.getString(1));
            }
        }
        List<Pending> stored = new ArrayList<>(inserted.size());
        List<String> takenKeys = new ArrayList<>();
        for (Pending p : events) {
            if (inserted.contains(p.id())) {
                stored.add(p);
            } else {
                takenKeys.add(p.key());
            }
        }
        if (!takenKeys.isEmpty()) {
            Map<String, EventApi.Published> existing = existing(c, tenant, takenKeys);
            for (Pending p : events) {
                if (!inserted.contains(p.id())) {
                    EventApi.Published first = existing.get(p.key());
                    if (first == null) {
                        throw new IllegalStateException("idempotency conflict without a row");
                    }
                    results.put(p.index(), BatchApi.Result.accepted(p.index(), first, true));
                }
            }
        }
        if (stored.isEmpty()) {
            return results;
        }
        appended.fire(new EventFeed.Appended(tenant));
        Set<String> types = new LinkedHashSet<>();
        stored.forEach(p -> types.add(p.request().type()));
        Map<String, List<String>> webhooksOf = matchingWebhooks(c, tenant, types);
        List<String> deliveryEvents = new ArrayList<>();
        List<String> deliveryWebhooks = new ArrayList<>();
        for (Pending p : stored) {
            List<String> webhooks = webhooksOf.getOrDefault(p.request().type(), List.of());
            for (String webhook : webhooks) {
                deliveryEvents.add(p.id());
                deliveryWebhooks.add(webhook);
            }
            results.put(
                    p.index(),
                    BatchApi.Result.accepted(
                            p.index(),
                            new EventApi.Published(p.id(), p.request().type(), now, webhooks.size()),
                            false));
        }
        if (!deliveryEvents.isEmpty()) {
            DeliveryQueue.insertPendingMany(c, tenant, deliveryEvents, deliveryWebhooks, now);
            queued.fire(DeliveriesQueued.NOW);
        }
        return results;
    }

    private static Map<String, EventApi.Published> existing(Connection c, String tenant, List<String> keys)
            throws SQLException {
        Map<String, EventApi.Published> found = new HashMap<>();
        try (Prepared ps = FIND_BY_KEYS.prepare(c);
                ResultSet rs = ps.set("tenant", tenant)
                        .set("idempotency_keys", Columns.text(c, keys))
                        .executeQuery()) {
            while (rs.next()) {
                found.put(
                        rs.getString(1),
                        new EventApi.Published(
                                rs.getString(2),
                                rs.getString(3),
                                rs.getObject(4, OffsetDateTime.class).toInstant(),
                                rs.getInt(5)));
            }
        }
        return found;
    }

    private static Map<String, List<String>> matchingWebhooks(Connection c, String tenant, Set<String> types)
            throws SQLException {
        Map<String, List<String>> webhooks = new HashMap<>();
        try (Prepared ps = MATCHING_WEBHOOKS_FOR_TYPES.prepare(c);
                ResultSet rs = ps.set("tenant", tenant)
                        .set("types", Columns.text(c, types))
                        .executeQuery()) {
            while (rs.next()) {
                webhooks.computeIfAbsent(rs.getString(1), t -> new ArrayList<>())
                        .add(rs.getString(2));
            }
        }
        return webhooks;
    }

    /** Adds an event's problem to the 422 of an atomic batch, each field under {@code events[i]}. */
    private static void name(Validation v, int index, Problem problem) {
        String at = "events[" + index + "]";
        if (problem.errors() == null || problem.errors().isEmpty()) {
            v.fail(at, problem.detail());
            return;
        }
        for (Problem.FieldError e : problem.errors()) {
            v.fail(e.field().isEmpty() ? at : at + "." + e.field(), e.message());
        }
    }
}
