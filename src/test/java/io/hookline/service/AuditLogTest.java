package io.hookline.service;

import io.hookline.contract.WebhookApi;
import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Tokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit log (issue 11, item 3): every change made for a tenant, through the platform role or the tenant's own
 * token, is listed by GET /v1/audit with the acting client and never holds a secret; it is written in the
 * transaction of the change, so a refused or rolled-back change leaves no entry.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class AuditLogTest {
    final Api acme = Api.newTenant();
    final Api globex = Api.newTenant();
    final String platform = Tokens.platform("billing-backend");

    @Inject
    WebhookService webhooks;

    @Inject
    AuditLog audit;

    private RequestSpecification asPlatform(String tenant) {
        return given().auth().oauth2(platform).contentType(ContentType.JSON).header("Hookline-Tenant", tenant);
    }

    private List<Map<String, Object>> entries(RequestSpecification caller) {
        return caller.get("/v1/audit")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("data");
    }

    private long entryCount(String tenant) {
        return Db.count("SELECT count(*) FROM audit_entry WHERE tenant = ?", tenant);
    }

    @Test
    void every_change_made_through_the_platform_role_is_listed_with_the_acting_client() {
        List<String> secrets = new ArrayList<>();
        String id;
        String delivery;
        try (Receiver receiver = Receiver.start()) {
            JsonPath created = asPlatform(acme.tenant)
                    .body("{\"url\":\"" + receiver.url() + "\"}")
                    .post("/v1/webhooks")
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath();
            id = created.getString("id");
            secrets.add(created.getString("secret"));
            asPlatform(acme.tenant)
                    .body("{\"description\":\"ledger\",\"enabled\":false}")
                    .patch("/v1/webhooks/" + id)
                    .then()
                    .statusCode(200);
            asPlatform(acme.tenant)
                    .body("{\"enabled\":true}")
                    .patch("/v1/webhooks/" + id)
                    .then()
                    .statusCode(200);
            delivery = asPlatform(acme.tenant)
                    .post("/v1/webhooks/" + id + "/test")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("deliveryId");
            asPlatform(acme.tenant)
                    .post("/v1/deliveries/" + delivery + "/redeliver")
                    .then()
                    .statusCode(202);
            secrets.add(asPlatform(acme.tenant)
                    .body("{\"graceSeconds\":3600}")
                    .post("/v1/webhooks/" + id + "/rotate")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("secret"));
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.count() == 2);
            asPlatform(acme.tenant).delete("/v1/webhooks/" + id).then().statusCode(204);
        }

        List<Map<String, Object>> listed = entries(asPlatform(acme.tenant));
        assertEquals(7, listed.size(), String.valueOf(listed));
        Map<String, Map<String, Object>> byAction = new LinkedHashMap<>();
        for (Map<String, Object> e : listed) {
            assertEquals(
                    Map.of(
                            "via",
                            "platform",
                            "subject",
                            "service-account-billing-backend",
                            "client",
                            "billing-backend"),
                    e.get("actor"));
            assertNotNull(e.get("at"));
            byAction.merge((String) e.get("action"), e, (a, b) -> a);
        }
        assertEquals(
                List.of("changed", "changed", "created", "redelivered", "revoked", "rotated", "tested"),
                listed.stream().map(e -> (String) e.get("action")).sorted().toList());
        for (String action : List.of("created", "changed", "tested", "rotated", "revoked")) {
            assertEquals("webhook", byAction.get(action).get("objectType"), action);
            assertEquals(id, byAction.get(action).get("objectId"), action);
        }
        assertEquals("delivery", byAction.get("redelivered").get("objectType"));
        assertEquals(delivery, byAction.get("redelivered").get("objectId"));
        assertTrue(((String) byAction.get("redelivered").get("detail")).startsWith("new delivery dlv_"));
        assertEquals("graceSeconds=3600", byAction.get("rotated").get("detail"));
        assertEquals("delivery " + delivery, byAction.get("tested").get("detail"));
        List<String> changes = listed.stream()
                .filter(e -> e.get("action").equals("changed"))
                .map(e -> (String) e.get("detail"))
                .sorted()
                .toList();
        assertEquals(List.of("description, enabled=false", "enabled=true"), changes);

        // the tenant reads the same log with its own token; the other tenant sees none of it
        assertEquals(listed, entries(acme.request()));
        assertEquals(List.of(), entries(globex.request()));
        assertEquals(List.of(), entries(asPlatform(globex.tenant)));

        // no secret anywhere in the audit table, in any column of any row
        for (String secret : secrets) {
            assertTrue(secret.startsWith("whsec_"));
            for (String part : List.of(secret, secret.substring("whsec_".length()))) {
                assertEquals(
                        0,
                        Db.count("SELECT count(*) FROM audit_entry a WHERE strpos(a::text, ?) > 0", part),
                        "a secret is in the audit table");
            }
        }
    }

    @Test
    void the_tenants_own_changes_are_listed_as_the_tenant() {
        String id = acme.createWebhook("http://127.0.0.1:9/hook");
        List<Map<String, Object>> listed = entries(acme.request());
        assertEquals(1, listed.size());
        Map<String, Object> e = listed.get(0);
        assertEquals("created", e.get("action"));
        assertEquals(id, e.get("objectId"));
        assertEquals("tenant", ((Map<?, ?>) e.get("actor")).get("via"));
        assertEquals("backend-service", ((Map<?, ?>) e.get("actor")).get("subject"));
        assertNull(((Map<?, ?>) e.get("actor")).get("client"));
        assertNull(e.get("detail"));
    }

    @Test
    void a_url_is_never_written_to_the_audit_log_since_it_may_carry_a_token() {
        String url = "https://example.com/hook?token=url-borne-credential-7f3a";
        String id = acme.createWebhook(url);
        acme.request()
                .body("{\"url\":\"https://example.com/hook?token=another-url-credential-9c1d\"}")
                .patch("/v1/webhooks/" + id)
                .then()
                .statusCode(200)
                .body("url", equalTo("https://example.com/hook?token=another-url-credential-9c1d"));
        assertEquals(2, entryCount(acme.tenant));
        assertEquals(
                "url",
                Db.query("SELECT detail FROM audit_entry WHERE tenant = ? AND action = 'changed'", acme.tenant)
                        .get(0)
                        .get(0));
        assertEquals(
                0,
                Db.count("SELECT count(*) FROM audit_entry a WHERE strpos(a::text, 'url-borne-credential') > 0 "
                        + "OR strpos(a::text, 'another-url-credential') > 0"));
    }

    @Test
    void the_log_is_paged_newest_first_with_limit_after_and_next() {
        for (int i = 0; i < 5; i++) {
            acme.createWebhook("http://127.0.0.1:9/hook/" + i);
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            var call = acme.request().queryParam("limit", 2);
            if (after != null) {
                call = call.queryParam("after", after);
            }
            JsonPath page =
                    call.get("/v1/audit").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("data.id", String.class));
            after = page.getString("next");
            pages++;
        } while (after != null);
        assertEquals(3, pages);
        assertEquals(5, seen.size());
        List<String> newestFirst = new ArrayList<>(seen);
        newestFirst.sort(Comparator.reverseOrder());
        assertEquals(newestFirst, seen, "ids sort by time: the list is newest first");
        acme.request().queryParam("limit", 0).get("/v1/audit").then().statusCode(422);
        acme.request()
                .queryParam("after", "not a cursor")
                .get("/v1/audit")
                .then()
                .statusCode(422);
    }

    @Test
    void a_refused_change_writes_no_entry() {
        String id = acme.createWebhook("http://127.0.0.1:9/hook");
        String event = acme.publish("invoice.paid", "{}");
        String delivery = (String) Db.query("SELECT id FROM delivery WHERE event_id = ?", event)
                .get(0)
                .get(0);
        acme.request()
                .body("{\"enabled\":false}")
                .patch("/v1/webhooks/" + id)
                .then()
                .statusCode(200);
        assertEquals(2, entryCount(acme.tenant), "created and changed; a publish is not an entry");

        acme.request()
                .body("{\"url\":\"ftp://nope\"}")
                .post("/v1/webhooks")
                .then()
                .statusCode(422);
        acme.request()
                .body("{\"description\":\"fine\",\"url\":\"ftp://nope\"}")
                .patch("/v1/webhooks/" + id)
                .then()
                .statusCode(422);
        acme.request()
                .body("{\"graceSeconds\":-1}")
                .post("/v1/webhooks/" + id + "/rotate")
                .then()
                .statusCode(422);
        acme.request().post("/v1/deliveries/" + delivery + "/redeliver").then().statusCode(409);
        acme.request()
                .delete("/v1/webhooks/wh_00000000000000000000000000")
                .then()
                .statusCode(404);
        asPlatform(globex.tenant).delete("/v1/webhooks/" + id).then().statusCode(404);
        assertEquals(2, entryCount(acme.tenant), "no refused change is in the log");
        assertEquals(0, entryCount(globex.tenant));
    }

    @Test
    void an_entry_commits_or_rolls_back_with_its_change() {
        IllegalStateException failed = assertThrows(
                IllegalStateException.class,
                () -> QuarkusTransaction.requiringNew().run(() -> {
                    webhooks.create(acme.tenant, new WebhookApi.Create("https://example.com/hook", null, null, null));
                    throw new IllegalStateException("the work after the change fails");
                }));
        assertEquals("the work after the change fails", failed.getMessage());
        assertEquals(0, entryCount(acme.tenant));
        assertEquals(0, Db.count("SELECT count(*) FROM webhook WHERE tenant = ?", acme.tenant));

        QuarkusTransaction.requiringNew()
                .run(() -> webhooks.create(
                        acme.tenant, new WebhookApi.Create("https://example.com/hook", null, null, null)));
        assertEquals(1, entryCount(acme.tenant));
        // work that no request asked for is recorded as Hookline's own
        assertEquals(
                "system",
                Db.query("SELECT actor_via FROM audit_entry WHERE tenant = ?", acme.tenant)
                        .get(0)
                        .get(0));
    }

    @Test
    void record_refuses_to_run_outside_a_transaction() {
        assertThrows(
                TransactionalException.class,
                () -> audit.record(acme.tenant, Actor.SYSTEM, AuditLog.ISSUED, AuditLog.PORTAL_LINK, null, null));
        assertEquals(0, entryCount(acme.tenant));
    }

    @Test
    void an_actor_from_a_strange_token_is_stored_cut_and_cleaned_rather_than_failing_the_change() {
        Actor actor = new Actor(Actor.Via.PLATFORM, "s".repeat(300) + "\u0000", "client\ud800");
        assertEquals(255, actor.subject().length());
        assertEquals("client?", actor.client());
        QuarkusTransaction.requiringNew()
                .run(() ->
                        audit.record(acme.tenant, actor, AuditLog.ISSUED, AuditLog.PORTAL_LINK, null, "x".repeat(900)));
        List<Map<String, Object>> listed = entries(acme.request());
        assertEquals(1, listed.size());
        assertEquals(500, ((String) listed.get(0).get("detail")).length());
        assertFalse(((Map<?, ?>) listed.get(0).get("actor"))
                .get("subject")
                .toString()
                .contains("\u0000"));
        acme.request().get("/v1/audit").then().body("data", hasSize(1)).body("data[0].objectId", nullValue());
    }
}
