package io.hookline.engine;

import io.hookline.common.Ids;
import io.hookline.queue.AttemptRecord;
import io.hookline.queue.Claim;
import io.hookline.queue.DeliveryQueue;
import io.hookline.queue.Outcome;
import io.hookline.store.ErrorClass;
import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The recorder against the real queue, with results the database refuses in the middle of a batch. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class RecorderTest {
    @Inject
    DeliveryQueue queue;

    @Inject
    DeliveryMetrics metrics;

    final Api api = Api.newTenant();

    @BeforeEach
    void cleanQueue() {
        Db.update("TRUNCATE delivery_attempt, delivery, event");
    }

    /** Claims {@code n} deliveries due an hour from now, which the running dispatcher leaves alone. */
    private List<Claim> claimLater(int n) throws Exception {
        // no receiver listens on port 9 (discard); nothing is sent in this test
        String webhook = api.createWebhookWithSecret("http://127.0.0.1:9/hook")[0];
        for (int i = 0; i < n; i++) {
            String eventId = Ids.event();
            Db.update(
                    "INSERT INTO event (id, tenant, type, body, created_at) VALUES (?, ?, 'a.b', ?, now())",
                    eventId,
                    api.tenant,
                    "{}".getBytes());
            Db.update(
                    "INSERT INTO delivery (id, event_id, webhook_id, tenant, status, next_attempt_at, created_at) "
                            + "VALUES (?, ?, ?, ?, 'pending', now() + interval '1 hour', now())",
                    Ids.delivery(),
                    eventId,
                    webhook,
                    api.tenant);
        }
        Instant now = Instant.now();
        List<Claim> claims = queue.claim(n, now.plus(Duration.ofHours(2)), now.plus(Duration.ofMinutes(5)));
        assertEquals(n, claims.size());
        return claims;
    }

    private static Object[] row(String sql, Object... args) {
        return Db.query(sql, args).get(0).toArray();
    }

    @Test
    void a_result_the_database_refuses_is_recorded_as_an_internal_error_and_the_rest_of_its_batch_as_they_were()
            throws Exception {
        List<Claim> claims = claimLater(40);
        Instant now = Instant.now();
        Instant later = now.plus(Duration.ofHours(3));
        List<Outcome> batch = new ArrayList<>();
        for (int i = 0; i < claims.size(); i++) {
            Claim c = claims.get(i);
            if (i == 7) {
                // a negative duration, outside the CHECK of delivery_attempt: refused with 23514 (an error class
                // outside
                // its CHECK, the other way to get there, no longer compiles: ErrorClass is a closed type)
                batch.add(new Outcome.Retry(
                        c, new AttemptRecord(now, -12, 502, "bad gateway", ErrorClass.HTTP_STATUS, "x"), later));
            } else if (i == 23) {
                // the same for an outcome that is final
                batch.add(new Outcome.Failed(
                        c, new AttemptRecord(now, -1, 500, "no", ErrorClass.HTTP_STATUS, "answered 500"), false));
            } else if (i == 31) {
                // bypassing the sender's clean-up: the queue cleans it again instead of failing the batch
                batch.add(new Outcome.Succeeded(c, new AttemptRecord(now, 5, 200, "ok\0ok", null, null)));
            } else {
                batch.add(new Outcome.Succeeded(c, new AttemptRecord(now, 5, 200, "ok " + i, null, null)));
            }
        }
        Recorder recorder = new Recorder(queue, Clock.systemUTC(), Duration.ofDays(5), 0, metrics);
        recorder.write(batch);

        assertEquals(40, recorder.recorded());
        assertEquals(0L, Db.count("SELECT count(*) FROM delivery WHERE status = 'in_flight'"));
        assertEquals(40L, Db.count("SELECT count(*) FROM delivery_attempt"));
        assertEquals(
                38L,
                Db.count("SELECT count(*) FROM delivery d JOIN delivery_attempt a ON a.delivery_id = d.id "
                        + "WHERE d.status = 'succeeded' AND a.error_class IS NULL AND a.response_body LIKE 'ok%'"));

        Object[] retried = row(
                "SELECT d.status, d.next_attempt_at IS NOT NULL, a.response_status, a.response_body, "
                        + "a.error_class, a.error_message, a.duration_ms FROM delivery d JOIN delivery_attempt a "
                        + "ON a.delivery_id = d.id WHERE d.id = ?",
                claims.get(7).deliveryId());
        assertEquals("pending", retried[0]);
        assertEquals(true, retried[1]);
        assertEquals(502, retried[2]);
        assertNull(retried[3]);
        assertEquals("internal", retried[4]);
        assertEquals("the result could not be stored (SQLSTATE 23514); the receiver's answer is not kept", retried[5]);
        assertEquals(0, retried[6], "a negative duration is stored as 0");

        Object[] failed = row(
                "SELECT d.status, a.error_class, a.duration_ms FROM delivery d JOIN delivery_attempt a "
                        + "ON a.delivery_id = d.id WHERE d.id = ?",
                claims.get(23).deliveryId());
        assertEquals(List.of("failed", "internal", 0), List.of(failed));

        assertEquals(
                "ok\uFFFDok",
                row(
                        "SELECT response_body FROM delivery_attempt WHERE delivery_id = ?",
                        claims.get(31).deliveryId())[0]);
    }

    @Test
    void the_health_of_a_webhook_counts_each_refused_result_once() throws Exception {
        List<Claim> claims = claimLater(3);
        Instant now = Instant.now();
        List<Outcome> batch = new ArrayList<>();
        for (Claim c : claims) {
            batch.add(new Outcome.Failed(
                    c, new AttemptRecord(now, -5, 500, "no", ErrorClass.HTTP_STATUS, "answered 500"), false));
        }
        Recorder recorder = new Recorder(queue, Clock.systemUTC(), Duration.ofDays(5), 0, metrics);
        recorder.write(batch);
        // three refused rows, three substitutes: each delivery exhausted once, so the webhook counts three
        assertEquals(
                3L,
                Db.count(
                        "SELECT consecutive_failures FROM webhook WHERE id = ?",
                        claims.get(0).webhookId()));
        assertEquals(3L, Db.count("SELECT count(*) FROM delivery_attempt WHERE error_class = 'internal'"));
        assertEquals(3L, Db.count("SELECT count(*) FROM delivery WHERE status = 'failed'"));
    }
}
