package io.hookline.engine;

import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Receiver.Answer;
import io.hookline.testsupport.Verify;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end: publish over the API, a real receiver on a local port, the dispatcher in between. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class DeliveryFlowTest {
    final Api api = Api.newTenant();
    final Receiver receiver = Receiver.start();

    @AfterEach
    void stop() {
        receiver.close();
    }

    private JsonPath delivery(String eventId) {
        String deliveryId =
                api.request().get("/v1/events/" + eventId).then().extract().path("deliveries[0].id");
        return api.request()
                .get("/v1/deliveries/" + deliveryId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private String statusOf(String eventId) {
        return api.request().get("/v1/events/" + eventId).then().extract().path("deliveries[0].status");
    }

    @Test
    void a_published_event_arrives_within_a_second_with_both_signatures_valid() {
        String[] webhook = api.createWebhookWithSecret(receiver.url());
        long published = System.nanoTime();
        String eventId = api.publish(
                "transaction.created", "{\"amount\":4200,\"currency\":\"EUR\",\"note\":\"caf\u00e9 \u2615\"}");
        await().atMost(Duration.ofSeconds(1)).until(() -> receiver.count() == 1);
        Receiver.Request r = receiver.requests().get(0);
        assertTrue(r.receivedAtNanos() - published < 1_000_000_000L);

        assertTrue(Verify.hex(webhook[1], r.body(), r.header("X-Hookline-Signature")), "hex signature");
        assertTrue(Verify.standardWebhooks(webhook[1], r), "Standard Webhooks signature");
        assertEquals(eventId, r.header("webhook-id"));
        assertEquals("application/json", r.header("content-type"));
        assertTrue(r.header("user-agent").startsWith("Hookline/"));
        assertEquals("transaction.created", r.header("X-Hookline-Event"));
        assertTrue(r.header("X-Hookline-Delivery").startsWith("dlv_"));
        long timestamp = Long.parseLong(r.header("webhook-timestamp"));
        assertTrue(Math.abs(timestamp - System.currentTimeMillis() / 1000) < 5);
        JsonPath body = JsonPath.from(r.text());
        assertEquals(eventId, body.getString("meta.event_id"));
        assertEquals("transaction.created", body.getString("meta.event_type"));
        assertEquals(4200, body.getInt("data.amount"));
        assertEquals("caf\u00e9 \u2615", body.getString("data.note"));

        await().atMost(Duration.ofSeconds(5)).until(() -> "succeeded".equals(statusOf(eventId)));
        JsonPath d = delivery(eventId);
        assertEquals(1, d.getInt("delivery.attempts"));
        assertEquals(200, d.getInt("attempts[0].responseStatus"));
        assertEquals("ok", d.getString("attempts[0].responseBody"));
    }

    @Test
    void a_receiver_that_fails_twice_gets_the_same_bytes_a_third_time_and_succeeds() {
        receiver.answering(n -> n < 2 ? Answer.status(500).body("boom " + n) : Answer.status(204));
        String[] webhook = api.createWebhookWithSecret(receiver.url());
        String eventId = api.publish("a.b", "{\"n\":1}");
        await().atMost(Duration.ofSeconds(10)).until(() -> "succeeded".equals(statusOf(eventId)));
        List<Receiver.Request> got = receiver.requests();
        assertEquals(3, got.size());
        for (Receiver.Request r : got) {
            assertEquals(eventId, r.header("webhook-id"));
            assertEquals(got.get(0).text(), r.text());
            assertEquals(got.get(0).header("X-Hookline-Delivery"), r.header("X-Hookline-Delivery"));
            assertTrue(Verify.standardWebhooks(webhook[1], r));
        }
        JsonPath d = delivery(eventId);
        assertEquals(List.of(500, 500, 204), d.getList("attempts.responseStatus"));
        assertEquals(
                List.of("http_status", "http_status"),
                d.getList("attempts.errorClass").subList(0, 2));
        assertEquals("boom 1", d.getString("attempts[1].responseBody"));
        assertEquals(3, d.getInt("delivery.attempts"));
    }

    @Test
    void after_the_last_attempt_the_delivery_is_failed_and_stays_in_the_log() {
        receiver.answering(n -> Answer.status(503));
        api.createWebhookWithSecret(receiver.url());
        String eventId = api.publish("a.b", "{}");
        await().atMost(Duration.ofSeconds(10)).until(() -> "failed".equals(statusOf(eventId)));
        assertEquals(4, receiver.count()); // the first attempt and the three of the test schedule
        assertEquals(4, delivery(eventId).getList("attempts").size());
    }

    @Test
    void retry_after_on_429_replaces_the_scheduled_delay() {
        // the test schedule waits 200 ms; Retry-After asks for 1 s, capped at 4 x 200 ms = 800 ms
        receiver.answering(n -> n == 0 ? Answer.status(429).header("Retry-After", "1") : Answer.status(200));
        api.createWebhookWithSecret(receiver.url());
        String eventId = api.publish("a.b", "{}");
        await().atMost(Duration.ofSeconds(5)).until(() -> "succeeded".equals(statusOf(eventId)));
        List<Receiver.Request> got = receiver.requests();
        long gapMillis = (got.get(1).receivedAtNanos() - got.get(0).receivedAtNanos()) / 1_000_000;
        assertTrue(gapMillis >= 750, "second attempt came " + gapMillis + " ms after the 429");
    }

    @Test
    void gone_410_fails_the_delivery_and_disables_the_webhook() {
        receiver.answering(n -> Answer.status(410));
        String id = api.createWebhookWithSecret(receiver.url())[0];
        String eventId = api.publish("a.b", "{}");
        await().atMost(Duration.ofSeconds(5)).until(() -> "failed".equals(statusOf(eventId)));
        assertEquals(1, receiver.count());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> Boolean.FALSE.equals(
                        api.request().get("/v1/webhooks/" + id).then().extract().path("enabled")));
        api.request()
                .get("/v1/webhooks/" + id)
                .then()
                .body("disabledReason", equalTo("the endpoint answered 410 Gone"));
        // a disabled webhook gets no new deliveries
        api.request()
                .body("{\"type\":\"a.b\",\"data\":{}}")
                .post("/v1/events")
                .then()
                .body("deliveries", equalTo(0));
    }

    @Test
    void a_redirect_is_not_followed_and_counts_as_a_failure() {
        try (Receiver elsewhere = Receiver.start()) {
            receiver.answering(
                    n -> n == 0 ? Answer.status(302).header("Location", elsewhere.url()) : Answer.status(200));
            api.createWebhookWithSecret(receiver.url());
            String eventId = api.publish("a.b", "{}");
            await().atMost(Duration.ofSeconds(5)).until(() -> "succeeded".equals(statusOf(eventId)));
            assertEquals(0, elsewhere.count());
            JsonPath d = delivery(eventId);
            assertEquals("redirect", d.getString("attempts[0].errorClass"));
            assertEquals(302, d.getInt("attempts[0].responseStatus"));
        }
    }

    @Test
    void a_receiver_slower_than_the_timeout_is_a_timeout_failure() {
        // the test profile's timeout is 2 s
        receiver.answering(n -> n == 0 ? Answer.status(200).hold(10_000) : Answer.status(200));
        api.createWebhookWithSecret(receiver.url());
        String eventId = api.publish("a.b", "{}");
        await().atMost(Duration.ofSeconds(8)).until(() -> "succeeded".equals(statusOf(eventId)));
        JsonPath d = delivery(eventId);
        assertEquals("timeout", d.getString("attempts[0].errorClass"));
        assertTrue(d.getInt("attempts[0].durationMs") >= 1900, "timed out after " + d.getInt("attempts[0].durationMs"));
        assertTrue(d.getInt("attempts[0].durationMs") < 5000);
    }

    @Test
    void during_a_rotation_grace_period_deliveries_are_signed_with_both_secrets() {
        String[] webhook = api.createWebhookWithSecret(receiver.url());
        String fresh = api.request()
                .body("{\"graceSeconds\":3600}")
                .post("/v1/webhooks/" + webhook[0] + "/rotate")
                .then()
                .statusCode(200)
                .extract()
                .path("secret");
        api.publish("a.b", "{}");
        await().atMost(Duration.ofSeconds(2)).until(() -> receiver.count() == 1);
        Receiver.Request r = receiver.requests().get(0);
        assertEquals(2, r.header("webhook-signature").split(" ").length);
        assertTrue(Verify.standardWebhooks(webhook[1], r), "old secret");
        assertTrue(Verify.standardWebhooks(fresh, r), "new secret");
        assertTrue(Verify.hex(fresh, r.body(), r.header("X-Hookline-Signature")), "hex uses the newest secret");

        api.request().post("/v1/webhooks/" + webhook[0] + "/rotate").then().statusCode(200);
        api.publish("a.b", "{}");
        await().atMost(Duration.ofSeconds(2)).until(() -> receiver.count() == 2);
        Receiver.Request after = receiver.requests().get(1);
        assertEquals(1, after.header("webhook-signature").split(" ").length);
        assertFalse(Verify.standardWebhooks(webhook[1], after), "the first secret stopped at the second rotation");
    }

    @Test
    void a_redelivery_sends_the_same_event_again_as_a_new_delivery() {
        api.createWebhookWithSecret(receiver.url());
        String eventId = api.publish("a.b", "{\"x\":1}");
        await().atMost(Duration.ofSeconds(2)).until(() -> receiver.count() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> "succeeded".equals(statusOf(eventId)));
        String first =
                api.request().get("/v1/events/" + eventId).then().extract().path("deliveries[0].id");
        String second = api.request()
                .post("/v1/deliveries/" + first + "/redeliver")
                .then()
                .statusCode(202)
                .body("eventId", equalTo(eventId))
                .body("status", equalTo("pending"))
                .extract()
                .path("id");
        assertNotEquals(first, second);
        await().atMost(Duration.ofSeconds(2)).until(() -> receiver.count() == 2);
        Receiver.Request again = receiver.requests().get(1);
        assertEquals(eventId, again.header("webhook-id"));
        assertEquals(second, again.header("X-Hookline-Delivery"));
        assertEquals(receiver.requests().get(0).text(), again.text());
        Api.newTenant()
                .request()
                .post("/v1/deliveries/" + first + "/redeliver")
                .then()
                .statusCode(404);
    }

    @Test
    void the_test_endpoint_sends_now_and_returns_what_the_receiver_answered() {
        receiver.answering(n -> n == 0
                ? Answer.status(200).body("{\"received\":true}")
                : Answer.status(500).body("down"));
        String[] webhook = api.createWebhookWithSecret(receiver.url());
        api.request()
                .post("/v1/webhooks/" + webhook[0] + "/test")
                .then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("status", equalTo(200))
                .body("body", equalTo("{\"received\":true}"))
                .body("error", nullValue());
        Receiver.Request r = receiver.requests().get(0);
        assertEquals("webhook.test", r.header("X-Hookline-Event"));
        assertTrue(Verify.hex(webhook[1], r.body(), r.header("X-Hookline-Signature")));
        assertTrue(Verify.standardWebhooks(webhook[1], r));
        api.request()
                .post("/v1/webhooks/" + webhook[0] + "/test")
                .then()
                .statusCode(200)
                .body("success", equalTo(false))
                .body("status", equalTo(500))
                .body("error", equalTo("answered 500"));
        // both are in the log, and the failed one is not retried
        api.request()
                .get("/v1/webhooks/" + webhook[0] + "/deliveries")
                .then()
                .statusCode(200)
                .body("data", hasSize(2))
                .body("data[0].status", equalTo("failed"))
                .body("data[1].status", equalTo("succeeded"));
        api.request()
                .get("/v1/webhooks/" + webhook[0] + "/deliveries?status=failed")
                .then()
                .body("data", hasSize(1));
        api.request()
                .get("/v1/webhooks/" + webhook[0] + "/deliveries?status=lost")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("status"));
        assertEquals(2, receiver.count());
    }

    @Test
    void after_a_revoke_returns_nothing_of_that_webhook_is_pending_or_in_flight() {
        receiver.answering(n -> Answer.status(500).hold(300));
        String id = api.createWebhookWithSecret(receiver.url())[0];
        for (int i = 0; i < 5; i++) {
            api.publish("a.b", "{}");
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> receiver.count() > 0);
        api.request().delete("/v1/webhooks/" + id).then().statusCode(204);
        int sent = receiver.count();
        assertEquals(
                0,
                Db.count(
                        "select count(*) from delivery where webhook_id = ? and status in ('pending', 'in_flight')",
                        id));
        assertEquals(
                sent,
                Db.count(
                        "select count(*) from delivery_attempt a join delivery d on d.id = a.delivery_id "
                                + "where d.webhook_id = ?",
                        id));
        api.request().get("/v1/webhooks/" + id + "/deliveries").then().statusCode(404);
    }
}
