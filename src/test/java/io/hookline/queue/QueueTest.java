package io.hookline.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.hookline.config.HooklineConfig;
import io.hookline.engine.Claimer;
import io.hookline.engine.DeliveryMetrics;
import io.hookline.engine.Dispatcher;
import io.hookline.engine.Pipeline;
import io.hookline.engine.SecretStore;
import io.hookline.send.Attempts;
import io.hookline.store.ErrorClass;
import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Receiver.Answer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queue under failure: crashed replicas, competing replicas, shutdown, failing endpoints. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class QueueTest {
    @Inject
    DeliveryQueue queue;

    @Inject
    SecretStore secrets;

    @Inject
    Attempts attempts;

    @Inject
    Dispatcher dispatcher;

    @Inject
    HooklineConfig config;

    @Inject
    DeliveryMetrics metrics;

    final Api api = Api.newTenant();
    final Receiver receiver = Receiver.start();

    @BeforeEach
    void cleanQueue() {
        Db.update("TRUNCATE delivery_attempt, delivery, event");
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    /**
     * Queues a delivery that is due only an hour from now, so the running dispatcher leaves it alone (written as
     * publish writes it; publishing itself would wake the dispatcher at once).
     */
    private String queueLater(String webhookId) {
        String eventId = io.hookline.common.Ids.event();
        byte[] body = ("{\"meta\":{\"event_id\":\"" + eventId + "\",\"event_type\":\"a.b\"},\"data\":{}}").getBytes();
        Db.update(
                "INSERT INTO event (id, tenant, type, body, created_at) VALUES (?, ?, 'a.b', ?, now())",
                eventId,
                api.tenant,
                body);
        Db.update(
                "INSERT INTO delivery (id, event_id, webhook_id, tenant, status, next_attempt_at, created_at) "
                        + "VALUES (?, ?, ?, ?, 'pending', now() + interval '1 hour', now())",
                io.hookline.common.Ids.delivery(),
                eventId,
                webhookId,
                api.tenant);
        return eventId;
    }

    @Test
    void a_claim_whose_replica_crashed_is_delivered_after_its_lease_expires() throws Exception {
        String webhook = api.createWebhookWithSecret(receiver.url())[0];
        String eventId = queueLater(webhook);
        Instant now = Instant.now();
        List<Claim> claims = queue.claim(10, now.plus(Duration.ofHours(2)), now.plusSeconds(1));
        assertEquals(1, claims.size());
        Claim crashed = claims.get(0);
        assertEquals(eventId, crashed.eventId());
        // the claimer dies here: it never sends and never records. The lease runs out, the sweep returns the
        // delivery to the queue, and the live dispatcher sends it.
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.count() == 1);
        assertEquals(crashed.deliveryId(), receiver.requests().get(0).header("X-Hookline-Delivery"));
        await().atMost(Duration.ofSeconds(3)).until(() -> "succeeded".equals(status(crashed.deliveryId())));
        // the crashed attempt counts; only the real one is in the log
        assertEquals(2L, Db.count("SELECT attempts FROM delivery WHERE id = ?", crashed.deliveryId()));
        assertEquals(1L, Db.count("SELECT count(*) FROM delivery_attempt WHERE delivery_id = ?", crashed.deliveryId()));
        // the late claimer cannot overwrite the newer outcome: its token is stale
        Outcome late = new Outcome.Retry(
                crashed, new AttemptRecord(now, 1, 500, "late", ErrorClass.HTTP_STATUS, "late"), now.plusSeconds(60));
        queue.record(List.of(late), List.of(), Instant.now());
        assertEquals("succeeded", status(crashed.deliveryId()));
        assertEquals(1L, Db.count("SELECT count(*) FROM delivery_attempt WHERE delivery_id = ?", crashed.deliveryId()));
    }

    @Test
    void two_dispatchers_on_one_database_never_send_the_same_claim_twice() {
        receiver.answering(n -> Answer.status(200));
        String[] webhooks = new String[4];
        for (int i = 0; i < webhooks.length; i++) {
            webhooks[i] = api.createWebhookWithSecret(receiver.url())[0];
        }
        Pipeline second = new Pipeline(
                        queue,
                        secrets,
                        attempts,
                        Clock.systemUTC(),
                        dispatcher.settings(),
                        Duration.ofDays(5),
                        0,
                        metrics)
                .start("second");
        int events = 150;
        try {
            for (int i = 0; i < events; i++) {
                api.publish("a.b", "{\"i\":" + i + "}");
                second.wake();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                second.wake();
                return Db.count("SELECT count(*) FROM delivery WHERE status = 'succeeded'") == events * 4L;
            });
        } finally {
            second.stop(Duration.ofSeconds(5));
        }
        Map<String, Integer> perDelivery = new HashMap<>();
        for (Receiver.Request r : receiver.requests()) {
            perDelivery.merge(r.header("X-Hookline-Delivery"), 1, Integer::sum);
        }
        assertEquals(events * 4, perDelivery.size());
        assertEquals(events * 4, receiver.count(), "some delivery was sent twice");
        assertEquals(events * 4L, Db.count("SELECT count(*) FROM delivery_attempt"));
    }

    @Test
    void a_stopping_worker_finishes_what_it_sends_and_gives_back_what_it_has_not_started() {
        receiver.answering(n -> Answer.status(200).hold(500));
        String webhook = api.createWebhookWithSecret(receiver.url())[0];
        for (int i = 0; i < 6; i++) {
            queueLater(webhook);
        }
        // a worker that lives two hours ahead sees those deliveries as due; the real dispatcher does not
        Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));
        Claimer.Settings settings = new Claimer.Settings(10, 10, 2, 2, Duration.ofSeconds(2), Duration.ofSeconds(30));
        Pipeline worker = new Pipeline(queue, secrets, attempts, ahead, settings, Duration.ofDays(5), 0, metrics)
                .start("stopping");
        worker.wake();
        await().atMost(Duration.ofSeconds(3)).until(() -> receiver.count() == 2);
        int abandoned = worker.stop(Duration.ofSeconds(5));
        assertEquals(0, abandoned);
        assertEquals(2, receiver.count());
        assertEquals(2L, Db.count("SELECT count(*) FROM delivery WHERE status = 'succeeded'"));
        assertEquals(
                4L,
                Db.count("SELECT count(*) FROM delivery WHERE status = 'pending' AND attempts = 0 "
                        + "AND lease_until IS NULL"));
        assertEquals(2L, Db.count("SELECT count(*) FROM delivery_attempt"));
    }

    @Test
    void a_slow_endpoint_with_a_backlog_does_not_starve_a_healthy_one() {
        // 300 deliveries to an endpoint that takes 1 s each would, held in memory, fill all 256 slots of the replica
        receiver.answering(n -> Answer.status(200).hold(1000));
        String slow = api.createWebhookWithSecret(receiver.url(), "slow.*")[0];
        try (Receiver healthy = Receiver.start()) {
            api.createWebhookWithSecret(healthy.url(), "fast.*");
            for (int i = 0; i < 300; i++) {
                api.publish("slow.thing", "{}");
            }
            await().atMost(Duration.ofSeconds(3)).until(() -> receiver.count() >= 16);
            for (int i = 0; i < 50; i++) {
                api.publish("fast.thing", "{}");
            }
            await().atMost(Duration.ofSeconds(3)).until(() -> healthy.count() == 50);
            // a slow endpoint's limit stays at most the initial one, and it keeps at hand only what it can start
            // within about a second (as many again, at 1 s per answer); the rest waits in the queue, uncounted
            assertTrue(Db.count("SELECT count(*) FROM delivery WHERE webhook_id = ? AND status = 'in_flight'", slow)
                    <= 2L * dispatcher.settings().initialPerWebhook());
            assertEquals(
                    0L,
                    Db.count(
                            "SELECT count(*) FROM delivery WHERE webhook_id = ? AND status = 'pending' "
                                    + "AND attempts > 0",
                            slow));
        }
        api.request().delete("/v1/webhooks/" + slow).then().statusCode(204);
    }

    /** A claim of 10 at {@code now} (default room 10) that may look past the head of the queue. */
    private List<Claim> claimPastHead(Instant now, List<String> skip, Map<String, Integer> room) throws Exception {
        return queue.claim(10, now, now.plusSeconds(60), skip, room, 10, true).claims();
    }

    /**
     * {@code n} deliveries to a webhook, due an hour from now plus {@code i} ms for the i-th, plus {@code offsetMs}:
     * the running dispatcher leaves them alone; the test claims with a clock two hours ahead.
     */
    private void queueBacklog(String webhookId, String tag, int n, long offsetMs) {
        Db.update(
                "INSERT INTO event (id, tenant, type, body, created_at) "
                        + "SELECT 'evt_' || ? || i, ?, 'a.b', '\\x7b7d'::bytea, now() FROM generate_series(1, ?) i",
                tag,
                api.tenant,
                n);
        Db.update(
                "INSERT INTO delivery (id, event_id, webhook_id, tenant, status, next_attempt_at, created_at) "
                        + "SELECT 'dlv_' || ? || i, 'evt_' || ? || i, ?, ?, 'pending', "
                        + "now() + interval '1 hour' + (? + i) * interval '1 millisecond', now() "
                        + "FROM generate_series(1, ?) i",
                tag,
                tag,
                webhookId,
                api.tenant,
                offsetMs,
                n);
    }

    @Test
    void a_busy_webhooks_backlog_at_the_head_neither_hides_the_others_nor_makes_claims_read_through_it()
            throws Exception {
        String busy = api.createWebhookWithSecret(receiver.url())[0];
        String other = api.createWebhookWithSecret(receiver.url())[0];
        queueBacklog(busy, "busy", 500, 0);
        queueBacklog(other, "other", 5, 10_000); // due after every one of the busy webhook's
        // statistics as autovacuum keeps them once a backlog has grown (it analyses a table after 10 % of its rows
        // changed): with none, the planner takes a table of unknown size for a small one that is cheaper to sort
        Db.update("ANALYZE delivery");
        Instant later = Instant.now().plus(Duration.ofHours(2));

        // skipped (at its limit): the others' deliveries behind its backlog are claimed all the same
        List<Claim> claims = claimPastHead(later, List.of(busy), Map.of());
        assertEquals(
                List.of(other), claims.stream().map(Claim::webhookId).distinct().toList());
        assertEquals(5, claims.size());
        // and the claim read the head of the queue only, not the 500 rows of the skipped webhook
        long headRead = dueRowsRead(10, busy, later, "");
        assertTrue(headRead <= 10, "the claim read " + headRead + " due rows for a claim of 10");
        // nor does the claim for the webhooks found behind it (it walks their own index)
        assertEquals(0L, dueRowsRead(10, busy, later, other));

        // only out of room (2 more at most), not skipped: it gets its 2 and the claim does not look past the head,
        // which moves on by itself as the webhook's requests end and the next claims take its rows
        Db.update(
                "UPDATE delivery SET status = 'pending', lease_until = NULL, lease_token = NULL WHERE webhook_id = ?",
                other);
        claims = claimPastHead(later, List.of(), Map.of(busy, 2));
        assertEquals(List.of(busy, busy), claims.stream().map(Claim::webhookId).toList());
        // skipped again, with 2 of its rows just taken: the head is still all its own, and the others are found
        claims = claimPastHead(later, List.of(busy), Map.of());
        assertEquals(
                List.of(other), claims.stream().map(Claim::webhookId).distinct().toList());
    }

    @Test
    void webhooks_behind_a_busy_head_are_visited_in_turn_however_many_have_deliveries_pending() throws Exception {
        String busy = api.createWebhookWithSecret(receiver.url())[0];
        queueBacklog(busy, "busy", 50, 0);
        // more webhooks with deliveries pending (due later than the claim's clock) than one look past the head visits,
        // then, last in id order, one with a delivery due
        int many = DeliveryQueue.PAST_HEAD_BUDGET + 20;
        Db.update(
                "INSERT INTO webhook (id, tenant, url, created_at, updated_at) "
                        + "SELECT 'wh_turn_' || lpad(i::text, 4, '0'), ?, 'https://example.com/' || i, now(), now() "
                        + "FROM generate_series(1, ?) i",
                api.tenant,
                many);
        Db.update(
                "INSERT INTO event (id, tenant, type, body, created_at) "
                        + "SELECT 'evt_turn_' || i, ?, 'a.b', '\\x7b7d'::bytea, now() FROM generate_series(1, ?) i",
                api.tenant,
                many);
        Db.update(
                "INSERT INTO delivery (id, event_id, webhook_id, tenant, status, next_attempt_at, created_at) "
                        + "SELECT 'dlv_turn_' || i, 'evt_turn_' || i, 'wh_turn_' || lpad(i::text, 4, '0'), ?, "
                        + "'pending', now() + interval '1 day', now() FROM generate_series(1, ?) i",
                api.tenant,
                many);
        Db.update(
                "INSERT INTO webhook (id, tenant, url, created_at, updated_at) "
                        + "VALUES ('wh_zzzz_last', ?, 'https://example.com/last', now(), now())",
                api.tenant);
        Db.update(
                "INSERT INTO delivery (id, event_id, webhook_id, tenant, status, next_attempt_at, created_at) "
                        + "VALUES ('dlv_last', 'evt_turn_1', 'wh_zzzz_last', ?, 'pending', now() + interval '1 hour 1 minute', now())",
                api.tenant);
        Instant later = Instant.now().plus(Duration.ofHours(2));
        int looks = 0;
        List<Claim> claims = List.of();
        while (claims.isEmpty() && looks < 4) {
            claims = claimPastHead(later, List.of(busy), Map.of());
            looks++;
        }
        assertEquals(List.of("dlv_last"), claims.stream().map(Claim::deliveryId).toList());
        // each look visits at most PAST_HEAD_BUDGET webhooks and the next goes on where it stopped: from wherever an
        // earlier claim left off, the end (where the last webhook is) and the start are each at most two looks away
        assertTrue(looks <= 3, "found after " + looks + " claims");
    }

    /**
     * The rows of delivery_due a claim reads (EXPLAIN ANALYZE, rolled back): of the head (claim.sql) when
     * {@code listed} is empty, else of the claim for that webhook (claim-for-webhooks.sql).
     */
    private long dueRowsRead(int limit, String skip, Instant now, String listed) throws Exception {
        String at = "'" + now + "'::timestamptz";
        String sql = listed.isEmpty()
                ? DeliveryQueue.CLAIM.fill(Map.of(
                        "now",
                        at,
                        "skip_webhooks",
                        "'{" + skip + "}'",
                        "limit",
                        Integer.toString(limit),
                        "default_room",
                        Integer.toString(limit),
                        "room_ids",
                        "'{}'",
                        "room_sizes",
                        "'{}'",
                        "lease_until",
                        "now() + interval '1 minute'"))
                : DeliveryQueue.CLAIM_FOR_WEBHOOKS.fill(Map.of(
                        "webhooks",
                        "'{" + listed + "}'",
                        "room_ids",
                        "'{" + listed + "}'",
                        "room_sizes",
                        "'{" + limit + "}'",
                        "now",
                        at,
                        "limit",
                        Integer.toString(limit),
                        "lease_until",
                        "now() + interval '1 minute'"));
        try (Connection c = CDI.current().select(AgroalDataSource.class).get().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)) {
                rs.next();
                JsonNode plan = new ObjectMapper().readTree(rs.getString(1));
                return rowsRead(plan, "delivery_due");
            } finally {
                c.rollback();
            }
        }
    }

    private static long rowsRead(JsonNode node, String index) {
        long rows = 0;
        if (node.isObject() && index.equals(node.path("Index Name").asText())) {
            rows += node.path("Actual Rows").asLong()
                    + node.path("Rows Removed by Filter").asLong();
        }
        for (JsonNode child : node) {
            rows += rowsRead(child, index);
        }
        return rows;
    }

    @Test
    void a_webhook_failing_for_too_many_deliveries_is_disabled_and_patch_re_enables_it() {
        // the test profile disables after 3 consecutive failed deliveries
        receiver.answering(n -> Answer.status(500));
        String webhook = api.createWebhookWithSecret(receiver.url())[0];
        for (int i = 0; i < 3; i++) {
            api.publish("a.b", "{}");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !enabled(webhook));
        api.request()
                .get("/v1/webhooks/" + webhook)
                .then()
                .body("disabledReason", equalTo("3 consecutive deliveries failed"));
        api.request()
                .body("{\"enabled\":true}")
                .patch("/v1/webhooks/" + webhook)
                .then()
                .statusCode(200)
                .body("enabled", equalTo(true));
        assertEquals(0L, Db.count("SELECT consecutive_failures FROM webhook WHERE id = ?", webhook));
    }

    @Test
    void a_webhook_whose_attempts_all_failed_for_the_configured_time_is_disabled() {
        receiver.answering(n -> Answer.status(500));
        String webhook = api.createWebhookWithSecret(receiver.url())[0];
        Duration limit = config.delivery().disableAfter();
        Db.update(
                "UPDATE webhook SET failing_since = now() - make_interval(secs => ?) - interval '1 minute' WHERE id = ?",
                (double) limit.toSeconds(),
                webhook);
        api.publish("a.b", "{}");
        await().atMost(Duration.ofSeconds(5)).until(() -> !enabled(webhook));
        api.request()
                .get("/v1/webhooks/" + webhook)
                .then()
                .body("disabledReason", startsWith("every attempt has failed since"));
    }

    @Test
    void a_success_ends_a_failure_run() {
        receiver.answering(n -> n == 0 ? Answer.status(500) : Answer.status(200));
        String webhook = api.createWebhookWithSecret(receiver.url())[0];
        String eventId = api.publish("a.b", "{}");
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.count() == 2);
        await().atMost(Duration.ofSeconds(5))
                .until(() ->
                        Db.count("SELECT count(*) FROM delivery WHERE event_id = ? AND status = 'succeeded'", eventId)
                                == 1);
        assertEquals(0L, Db.count("SELECT count(*) FROM webhook WHERE id = ? AND failing_since IS NOT NULL", webhook));
        assertTrue(enabled(webhook));
    }

    private boolean enabled(String webhook) {
        return Boolean.TRUE.equals(
                api.request().get("/v1/webhooks/" + webhook).then().extract().path("enabled"));
    }

    private static String status(String deliveryId) {
        return (String) Db.query("SELECT status FROM delivery WHERE id = ?", deliveryId)
                .get(0)
                .get(0);
    }
}
