package io.hookline.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.common.Ids;
import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Receiver.Answer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Recovery after an outage (POST /v1/webhooks/{id}/recover) and Hookline's own events about webhooks. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class RecoveryTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration DEADLINE = Duration.ofSeconds(20);

    final Api api = Api.newTenant();
    final Receiver receiver = Receiver.start();

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void recover_queues_the_failed_deliveries_of_the_window_once() {
        // the outage: three events whose deliveries failed, two inside the window and one before it
        String e1 = api.publish("order.created", "{\"n\":1}");
        String e2 = api.publish("order.created", "{\"n\":2}");
        String e3 = api.publish("order.created", "{\"n\":3}");
        String webhook = api.createWebhookWithSecret(receiver.url(), "order.*")[0];
        Instant now = Instant.now();
        failed(e1, webhook, now.minus(Duration.ofHours(3)));
        failed(e2, webhook, now.minus(Duration.ofHours(2)));
        failed(e3, webhook, now.minus(Duration.ofHours(30)));

        String since = now.minus(Duration.ofHours(5)).toString();
        api.request()
                .body("{\"since\":\"" + since + "\"}")
                .post("/v1/webhooks/" + webhook + "/recover")
                .then()
                .statusCode(202)
                .body("requeued", equalTo(2))
                .body("more", equalTo(false));

        await().atMost(DEADLINE).until(() -> receiver.count() >= 2);
        assertEquals(Set.of(e1, e2), receivedEventIds(receiver));

        // the copies succeeded: the same window again queues nothing, and nothing more arrives
        api.request()
                .body("{\"since\":\"" + since + "\"}")
                .post("/v1/webhooks/" + webhook + "/recover")
                .then()
                .statusCode(202)
                .body("requeued", equalTo(0));
        assertEquals(
                2,
                Db.count("SELECT count(*) FROM delivery WHERE webhook_id = ? AND recovered_from IS NOT NULL", webhook));
        api.request().get("/v1/audit").then().statusCode(200).body("data.action", hasItem("recovered"));
    }

    @Test
    void while_the_copies_wait_a_second_recover_queues_nothing() {
        String event = api.publish("order.created", "{}");
        String webhook = api.createWebhookWithSecret(receiver.url(), "order.*")[0];
        failed(event, webhook, Instant.now().minus(Duration.ofMinutes(10)));
        // the copy waits (not due for an hour), so the dispatcher does not send it meanwhile
        String copy = Ids.delivery();
        Db.update(
                "INSERT INTO delivery (id, event_id, webhook_id, tenant, status, next_attempt_at, created_at, "
                        + "recovered_from) SELECT ?, event_id, webhook_id, tenant, 'pending', now() + interval '1 hour',"
                        + " now(), id FROM delivery WHERE event_id = ? AND status = 'failed'",
                copy,
                event);
        api.request()
                .body("{\"since\":\"" + Instant.now().minus(Duration.ofHours(1)) + "\"}")
                .post("/v1/webhooks/" + webhook + "/recover")
                .then()
                .statusCode(202)
                .body("requeued", equalTo(0));
    }

    @Test
    void bad_recover_requests_get_a_problem_and_queue_nothing() {
        String event = api.publish("order.created", "{}");
        String webhook = api.createWebhookWithSecret(receiver.url(), "order.*")[0];
        failed(event, webhook, Instant.now().minus(Duration.ofMinutes(10)));
        String path = "/v1/webhooks/" + webhook + "/recover";
        long before = Db.count("SELECT count(*) FROM delivery");

        api.request().body("{}").post(path).then().statusCode(422).body("errors[0].field", equalTo("since"));
        api.request()
                .body("{\"since\":\"2026-11-30T10:00:00Z\",\"until\":\"2026-11-30T09:00:00Z\"}")
                .post(path)
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("since"));
        api.request().body("{\"since\":\"yesterday\"}").post(path).then().statusCode(422);
        api.request()
                .body("{\"since\":\"2026-11-30T10:00:00Z\",\"what\":1}")
                .post(path)
                .then()
                .statusCode(422);
        String since = "{\"since\":\"" + Instant.now().minus(Duration.ofHours(1)) + "\"}";
        api.request().body(since).post("/v1/webhooks/wh_unknown/recover").then().statusCode(404);
        Api.newTenant().request().body(since).post(path).then().statusCode(404);
        api.request()
                .body("{\"enabled\":false}")
                .patch("/v1/webhooks/" + webhook)
                .then()
                .statusCode(200);
        api.request().body(since).post(path).then().statusCode(409);

        assertEquals(before, Db.count("SELECT count(*) FROM delivery"));
    }

    @Test
    void the_tenant_hears_of_a_disabled_rotated_or_revoked_webhook_when_it_subscribed_by_name() {
        try (Receiver gone = Receiver.start().answering(n -> Answer.status(410));
                Receiver everything = Receiver.start()) {
            String ops = api.createWebhookWithSecret(receiver.url(), "hookline.*")[0];
            String doomed = api.createWebhookWithSecret(gone.url(), "order.*")[0];
            String all = api.createWebhookWithSecret(everything.url())[0];

            api.publish("order.created", "{}");
            JsonNode disabled = awaitEvent(receiver, "hookline.webhook.disabled");
            assertEquals(doomed, disabled.at("/data/webhook_id").asText());
            assertEquals(
                    "the endpoint answered 410 Gone",
                    disabled.at("/data/reason").asText());

            api.request()
                    .body("{}")
                    .post("/v1/webhooks/" + all + "/rotate")
                    .then()
                    .statusCode(200);
            assertEquals(
                    all,
                    awaitEvent(receiver, "hookline.webhook.secret_rotated")
                            .at("/data/webhook_id")
                            .asText());
            // the webhook an event is about never gets it, even when it subscribed
            api.request()
                    .body("{}")
                    .post("/v1/webhooks/" + ops + "/rotate")
                    .then()
                    .statusCode(200);
            api.request().delete("/v1/webhooks/" + all).then().statusCode(204);
            assertEquals(
                    all,
                    awaitEvent(receiver, "hookline.webhook.revoked")
                            .at("/data/webhook_id")
                            .asText());
            assertEquals(
                    List.of("hookline.webhook.disabled", "hookline.webhook.secret_rotated", "hookline.webhook.revoked"),
                    receiver.requests().stream()
                            .map(r -> parse(r.body()).at("/meta/event_type").asText())
                            .toList());

            // an empty filter (every type) does not bring Hookline's own events: only the published one arrived
            assertEquals(1, everything.count());
            assertEquals(
                    "order.created",
                    parse(everything.requests().get(0).body())
                            .at("/meta/event_type")
                            .asText());
        }
    }

    @Test
    void hookline_types_cannot_be_published_through_the_api() {
        api.request()
                .body("{\"type\":\"hookline.webhook.disabled\",\"data\":{}}")
                .post("/v1/events")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("type"));
    }

    private void failed(String eventId, String webhookId, Instant createdAt) {
        Timestamp at = Timestamp.from(createdAt);
        Db.update(
                "INSERT INTO delivery (id, event_id, webhook_id, tenant, status, attempts, last_status_code, "
                        + "last_error, created_at, completed_at) VALUES (?, ?, ?, ?, 'failed', 8, 503, "
                        + "'answered 503', ?, ?)",
                Ids.delivery(),
                eventId,
                webhookId,
                api.tenant,
                at,
                at);
    }

    private static JsonNode awaitEvent(Receiver r, String type) {
        await().atMost(DEADLINE)
                .until(() -> r.requests().stream()
                        .anyMatch(q -> type.equals(
                                parse(q.body()).at("/meta/event_type").asText())));
        return r.requests().stream()
                .map(q -> parse(q.body()))
                .filter(n -> type.equals(n.at("/meta/event_type").asText()))
                .findFirst()
                .orElseThrow();
    }

    private static Set<String> receivedEventIds(Receiver r) {
        return r.requests().stream()
                .map(q -> parse(q.body()).at("/meta/event_id").asText())
                .collect(Collectors.toSet());
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
