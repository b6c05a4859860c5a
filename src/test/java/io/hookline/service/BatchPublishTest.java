package io.hookline.service;

import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Tokens;
import io.hookline.testsupport.Verify;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 12, item 4: POST /v1/events/batch, per-event results, atomic mode, idempotency per event, limits. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class BatchPublishTest {
    static final String NOWHERE = "http://127.0.0.1:9/hook";

    final Api api = Api.newTenant();
    final Receiver receiver = Receiver.start();

    @AfterEach
    void close() {
        receiver.close();
    }

    static String event(String type, String data) {
        return "{\"type\":\"" + type + "\",\"data\":" + data + "}";
    }

    static String event(String type, String data, String id) {
        return "{\"type\":\"" + type + "\",\"data\":" + data + ",\"id\":\"" + id + "\"}";
    }

    static String batch(boolean atomic, String... events) {
        return "{\"events\":[" + String.join(",", events) + "],\"atomic\":" + atomic + "}";
    }

    JsonPath post(String body, int status) {
        return api.request()
                .body(body)
                .post("/v1/events/batch")
                .then()
                .log()
                .ifValidationFails()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    long events() {
        return Db.count("select count(*) from event where tenant = ? and type not like 'hookline.%'", api.tenant);
    }

    long deliveries() {
        return Db.count("select count(*) from delivery where tenant = ?", api.tenant);
    }

    @Test
    void good_events_are_stored_and_bad_ones_get_their_own_problem_in_request_order() {
        api.createWebhookWithSecret(NOWHERE);
        api.createWebhookWithSecret(NOWHERE, "invoice.*");
        JsonPath answer = post(
                batch(
                        false,
                        event("invoice.paid", "{\"n\":0}"),
                        event("Bad Type", "{}"),
                        "{\"type\":\"a.b\"}",
                        event("order.created", "[1,2]"),
                        "42",
                        "{\"type\":\"a.b\",\"data\":{},\"extra\":1}",
                        event("a.b", "{\"big\":\"" + "x".repeat(300_000) + "\"}"),
                        "{\"type\":\"a.b\",\"data\":{\"x\":1,\"x\":2}}",
                        event("hookline.webhook.disabled", "{}")),
                200);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8), answer.getList("results.index", Integer.class));
        assertEquals(List.of(202, 422, 422, 202, 422, 422, 413, 422, 422), answer.getList("results.status"));
        assertEquals(2, answer.getInt("results[0].deliveries"));
        assertEquals(1, answer.getInt("results[3].deliveries"));
        assertEquals(false, answer.getBoolean("results[0].replayed"));
        assertEquals("type", answer.getString("results[1].problem.errors[0].field"));
        assertEquals("data", answer.getString("results[2].problem.errors[0].field"));
        assertEquals("extra", answer.getString("results[5].problem.errors[0].field"));
        assertTrue(answer.getString("results[6].problem.detail").contains("hookline.events.max-payload-bytes"));
        assertEquals("data.x", answer.getString("results[7].problem.errors[0].field"));
        assertEquals(null, answer.getString("results[1].id"));
        assertEquals(2, events());
        assertEquals(3, deliveries());
        // each stored event is the one a single publish would have stored
        api.request()
                .get("/v1/events/" + answer.getString("results[3].id"))
                .then()
                .statusCode(200)
                .body("type", equalTo("order.created"))
                .body("payload.data", equalTo(List.of(1, 2)))
                .body("deliveries", hasSize(1));
    }

    @Test
    void an_atomic_batch_with_one_bad_event_is_one_422_naming_each_and_stores_nothing() {
        api.createWebhookWithSecret(NOWHERE);
        JsonPath problem = api.request()
                .body(batch(
                        true,
                        event("a.b", "{}"),
                        event("Bad", "{}"),
                        event("c.d", "{}", "key-1"),
                        "{\"type\":\"a.b\"}"))
                .post("/v1/events/batch")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .extract()
                .jsonPath();
        assertEquals(List.of("events[1].type", "events[3].data"), problem.getList("errors.field"));
        assertEquals(0, events());
        assertEquals(0, deliveries());
        // the same events, fixed, all go in
        JsonPath ok = post(
                batch(true, event("a.b", "{}"), event("e.f", "{}"), event("c.d", "{}", "key-1"), event("a.b", "{}")),
                200);
        assertEquals(List.of(202, 202, 202, 202), ok.getList("results.status"));
        assertEquals(4, events());
        assertEquals(4, deliveries());
    }

    @Test
    void an_idempotency_key_replays_its_first_event_within_a_batch_and_across_requests() {
        api.createWebhookWithSecret(NOWHERE);
        String single = api.request()
                .header("Idempotency-Key", "single-1")
                .body(event("a.b", "{}"))
                .post("/v1/events")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        JsonPath first = post(
                batch(
                        false,
                        event("a.b", "{\"n\":1}", "k1"),
                        event("a.b", "{\"n\":2}", "k1"),
                        event("a.b", "{}", "single-1"),
                        event("a.b", "{\"n\":3}")),
                200);
        String k1 = first.getString("results[0].id");
        assertEquals(false, first.getBoolean("results[0].replayed"));
        assertEquals(k1, first.getString("results[1].id"));
        assertEquals(true, first.getBoolean("results[1].replayed"));
        assertEquals(1, first.getInt("results[1].deliveries"));
        assertEquals(single, first.getString("results[2].id"));
        assertEquals(true, first.getBoolean("results[2].replayed"));
        assertEquals(List.of(202, 202, 202, 202), first.getList("results.status"));
        // a second batch with the same keys stores nothing new for them
        JsonPath again = post(batch(false, event("a.b", "{}", "k1"), event("x.y", "{}", "k2")), 200);
        assertEquals(k1, again.getString("results[0].id"));
        assertEquals(true, again.getBoolean("results[0].replayed"));
        assertEquals(false, again.getBoolean("results[1].replayed"));
        // and a single publish with a batch's key replays the batch's event
        api.request()
                .header("Idempotency-Key", "k2")
                .body(event("x.y", "{}"))
                .post("/v1/events")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(again.getString("results[1].id")));
        assertEquals(
                4,
                events(),
                Db.query("select id, idempotency_key, type from event where tenant = ?", api.tenant)
                        .toString());
        assertEquals(4, deliveries());
    }

    @Test
    void request_level_faults_are_one_problem_and_store_nothing() {
        api.createWebhookWithSecret(NOWHERE);
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append(event("a.b", "{}"));
        }
        api.request()
                .body("{\"events\":[" + many + "]}")
                .post("/v1/events/batch")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("events"))
                .body("errors[0].message", containsString("1001 events; at most 1000"));
        api.request()
                .body("{\"events\":[]}")
                .post("/v1/events/batch")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("events"));
        api.request().body("{}").post("/v1/events/batch").then().statusCode(422);
        api.request().body("{\"events\":{}}").post("/v1/events/batch").then().statusCode(422);
        api.request()
                .body("{\"events\":[" + event("a.b", "{}") + "],\"atomic\":\"yes\"}")
                .post("/v1/events/batch")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("atomic"));
        api.request()
                .body("{\"events\":[" + event("a.b", "{}") + "],\"events\":[]}")
                .post("/v1/events/batch")
                .then()
                .statusCode(422);
        api.request()
                .body("{\"events\":[" + event("a.b", "{}") + "],\"other\":1}")
                .post("/v1/events/batch")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("other"));
        api.request()
                .body("{\"events\":[" + event("a.b", "{\"a\":tru}") + "]}")
                .post("/v1/events/batch")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        api.request()
                .body("[" + event("a.b", "{}") + "]")
                .post("/v1/events/batch")
                .then()
                .statusCode(400);
        api.request()
                .body("{\"events\":[" + event("a.b", "{}") + "]} trailing")
                .post("/v1/events/batch")
                .then()
                .statusCode(400);
        given().contentType(ContentType.JSON)
                .body(batch(false, event("a.b", "{}")))
                .post("/v1/events/batch")
                .then()
                .statusCode(401);
        assertEquals(0, events());
    }

    @Test
    void a_full_batch_of_small_events_fits_the_body_limit_and_a_larger_body_is_one_413() {
        api.createWebhookWithSecret(NOWHERE);
        // 1,000 events of ~900 bytes: under the 1 MiB body limit every request has
        String data = "{\"pad\":\"" + "p".repeat(850) + "\"}";
        String[] events = new String[1000];
        for (int i = 0; i < events.length; i++) {
            events[i] = event("bulk.item", data, "bulk-" + i);
        }
        JsonPath ok = post(batch(false, events), 200);
        assertEquals(1000, ok.getList("results").size());
        assertEquals(Set.of(202), new HashSet<>(ok.getList("results.status", Integer.class)));
        assertEquals(1000, events());
        assertEquals(1000, deliveries());
        // over the body limit: 413 before anything is read, nothing stored
        String huge = "{\"pad\":\"" + "p".repeat(1100) + "\"}";
        for (int i = 0; i < events.length; i++) {
            events[i] = event("bulk.other", huge);
        }
        api.request()
                .body(batch(false, events))
                .post("/v1/events/batch")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        assertEquals(1000, events());
    }

    @Test
    void the_events_of_a_batch_arrive_signed_at_every_matching_webhook() {
        String[] all = api.createWebhookWithSecret(receiver.url());
        String[] orders = api.createWebhookWithSecret(receiver.url() + "/orders", "order.*");
        String[] events = new String[50];
        for (int i = 0; i < events.length; i++) {
            events[i] = event(i % 2 == 0 ? "order.created" : "invoice.paid", "{\"n\":" + i + ",\"exact\":1.10}");
        }
        JsonPath answer = post(batch(false, events), 200);
        assertEquals(
                75,
                answer.getList("results.deliveries", Integer.class).stream()
                        .mapToInt(Integer::intValue)
                        .sum());
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.count() >= 75);
        assertEquals(75, receiver.count());
        Set<String> ids = new HashSet<>();
        for (Receiver.Request r : receiver.requests()) {
            boolean signed = Verify.standardWebhooks(all[1], r) || Verify.standardWebhooks(orders[1], r);
            assertTrue(signed, "a delivery whose signature does not verify: " + r.text());
            assertTrue(r.text().contains(",\"exact\":1.10}"), r.text());
            ids.add(r.text().substring(r.text().indexOf("evt_"), r.text().indexOf("evt_") + 30));
        }
        assertEquals(50, ids.size());
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        Db.count("select count(*) from delivery where tenant = ? and status = 'succeeded'", api.tenant)
                                == 75);
    }

    @Test
    void a_platform_token_publishes_a_batch_for_the_tenant_its_header_names() {
        String platform = Tokens.platform("batch-backend");
        api.createWebhookWithSecret(NOWHERE);
        given().auth()
                .oauth2(platform)
                .contentType(ContentType.JSON)
                .header("Hookline-Tenant", api.tenant)
                .body(batch(false, event("a.b", "{}"), event("c.d", "{}")))
                .post("/v1/events/batch")
                .then()
                .statusCode(200)
                .body("results.status", equalTo(List.of(202, 202)))
                .body("results[0].problem", nullValue());
        assertEquals(2, events());
        given().auth()
                .oauth2(platform)
                .contentType(ContentType.JSON)
                .body(batch(false, event("a.b", "{}")))
                .post("/v1/events/batch")
                .then()
                .statusCode(400)
                .body("detail", containsString("Hookline-Tenant"));
        assertEquals(2, events());
    }

    @Test
    void the_data_of_each_event_is_kept_as_the_bytes_sent() {
        api.createWebhook(receiver.url());
        post(batch(false, "{ \"data\" :\n { \"z\" : 1, \"a\" : 1e400 } , \"type\":\"exact.check\" }"), 200);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.count() == 1);
        String body = new String(receiver.requests().get(0).body(), StandardCharsets.UTF_8);
        assertEquals("{ \"z\" : 1, \"a\" : 1e400 }}", body.substring(body.indexOf(",\"data\":") + 8));
    }
}
