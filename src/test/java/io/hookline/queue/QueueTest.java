package io.hookline.queue;

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
import jakarta.inject.Inject;
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
