package io.hookline.service;

import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class PublishTest {
    // deliveries to an unroutable port fail and retry quietly; these tests only look at what publish queued
    static final String NOWHERE = "http://127.0.0.1:9/hook";

    final Api api = Api.newTenant();

    @Test
    void an_event_is_queued_once_per_enabled_webhook_whose_filter_matches() {
        String all = api.createWebhookWithSecret(NOWHERE)[0];
        String prefix = api.createWebhookWithSecret(NOWHERE, "transaction.*")[0];
        String exact = api.createWebhookWithSecret(NOWHERE, "transaction.created")[0];
        api.createWebhookWithSecret(NOWHERE, "subscription.*", "transaction.updated");
        String disabled = api.createWebhookWithSecret(NOWHERE)[0];
        api.request()
                .body("{\"enabled\":false}")
                .patch("/v1/webhooks/" + disabled)
                .then()
                .statusCode(200);
        String revoked = api.createWebhookWithSecret(NOWHERE)[0];
        api.request().delete("/v1/webhooks/" + revoked).then().statusCode(204);
        Api.newTenant().createWebhookWithSecret(NOWHERE);

        String id = api.request()
                .body("{\"type\":\"transaction.created\",\"data\":{\"amount\":42}}")
                .post("/v1/events")
                .then()
                .statusCode(202)
                .header("Location", matchesPattern("/v1/events/evt_[0-9a-z]{26}"))
                .body("id", matchesPattern("evt_[0-9a-z]{26}"))
                .body("type", equalTo("transaction.created"))
                .body("deliveries", equalTo(3))
                .extract()
                .path("id");

        var view = api.request()
                .get("/v1/events/" + id)
                .then()
                .statusCode(200)
                .body("payload.meta.event_id", equalTo(id))
                .body("payload.meta.event_type", equalTo("transaction.created"))
                .body("payload.data.amount", equalTo(42))
                .body("deliveries", hasSize(3))
                .extract()
                .jsonPath();
        assertEquals(Set.of(all, prefix, exact), new HashSet<>(view.getList("deliveries.webhookId", String.class)));
        // the publish statement makes the delivery ids: the shape of every id, the event's time part, all distinct
        Set<String> deliveryIds = new HashSet<>(view.getList("deliveries.id", String.class));
        assertEquals(3, deliveryIds.size());
        for (String deliveryId : deliveryIds) {
            assertTrue(deliveryId.matches("dlv_[0-9a-z]{26}"), deliveryId);
            assertEquals(id.substring(4, 14), deliveryId.substring(4, 14), deliveryId);
        }
    }

    @Test
    void the_same_idempotency_key_returns_the_first_event_and_queues_nothing_more() {
        api.createWebhookWithSecret(NOWHERE);
        String first = api.request()
                .header("Idempotency-Key", "order-1")
                .body("{\"type\":\"a.b\",\"data\":{}}")
                .post("/v1/events")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        api.request()
                .header("Idempotency-Key", "order-1")
                .body("{\"type\":\"a.b\",\"data\":{\"other\":true}}")
                .post("/v1/events")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(first))
                .body("deliveries", equalTo(1));
        String byBodyId = api.request()
                .body("{\"type\":\"a.b\",\"data\":{},\"id\":\"order-2\"}")
                .post("/v1/events")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        api.request()
                .body("{\"type\":\"a.b\",\"data\":{},\"id\":\"order-2\"}")
                .post("/v1/events")
                .then()
                .statusCode(202)
                .body("id", equalTo(byBodyId));
        // another tenant may use the same key for its own event
        Api other = Api.newTenant();
        String theirs = other.request()
                .header("Idempotency-Key", "order-1")
                .body("{\"type\":\"a.b\",\"data\":{}}")
                .post("/v1/events")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        assertEquals(false, theirs.equals(first));
        assertEquals(2, Db.count("select count(*) from event where tenant = ?", api.tenant));
        assertEquals(2, Db.count("select count(*) from delivery where tenant = ?", api.tenant));
    }

    @Test
    void concurrent_retries_of_one_publish_create_one_event() throws Exception {
        api.createWebhookWithSecret(NOWHERE);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> api.request()
                        .header("Idempotency-Key", "same")
                        .body("{\"type\":\"a.b\",\"data\":1}")
                        .post("/v1/events")
                        .then()
                        .statusCode(202)
                        .extract()
                        .path("id"));
            }
            Set<String> ids = new HashSet<>();
            for (Future<String> f : pool.invokeAll(calls)) {
                ids.add(f.get());
            }
            assertEquals(1, ids.size());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, Db.count("select count(*) from event where tenant = ?", api.tenant));
        assertEquals(1, Db.count("select count(*) from delivery where tenant = ?", api.tenant));
    }

    @Test
    void bad_events_get_a_problem_and_write_nothing() {
        api.createWebhookWithSecret(NOWHERE);
        api.request()
                .body("{\"data\":{}}")
                .post("/v1/events")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("type"));
        api.request()
                .body("{\"type\":\"Has Spaces\",\"data\":{}}")
                .post("/v1/events")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("type"));
        api.request()
                .body("{\"type\":\"a.b\"}")
                .post("/v1/events")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("data"));
        api.request()
                .body("{\"type\":\"a.b\",\"data\":null}")
                .post("/v1/events")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("data"));
        api.request()
                .body("{\"type\":\"a.b\",\"data\":{},\"id\":\"\"}")
                .post("/v1/events")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("id"));
        api.request()
                .header("Idempotency-Key", "k1")
                .body("{\"type\":\"a.b\",\"data\":{},\"id\":\"k2\"}")
                .post("/v1/events")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("id"));
        api.request()
                .body("{\"type\":\"a.b\",\"data\":{\"big\":\"" + "x".repeat(300_000) + "\"}}")
                .post("/v1/events")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("hookline.events.max-payload-bytes"));
        api.request()
                .body("{\"type\":\"a.b\",\"data\":{}")
                .post("/v1/events")
                .then()
                .statusCode(400);
        api.request().get("/v1/events/evt_missing").then().statusCode(404);
        assertEquals(0, Db.count("select count(*) from event where tenant = ?", api.tenant));
        assertEquals(0, Db.count("select count(*) from delivery where tenant = ?", api.tenant));
    }

    @Test
    void another_tenants_event_is_not_found() {
        Api other = Api.newTenant();
        String theirs = other.request()
                .body("{\"type\":\"a.b\",\"data\":{}}")
                .post("/v1/events")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        api.request().get("/v1/events/" + theirs).then().statusCode(404);
    }
}
