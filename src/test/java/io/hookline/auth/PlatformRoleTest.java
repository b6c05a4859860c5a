package io.hookline.auth;

import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.RawHttp;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acting for a tenant (issue 11, items 1 and 2): a token with the platform role names the tenant in
 * {@code Hookline-Tenant}; every other token acts for the tenant of its claim and may name only that one; a tenant
 * value that breaks the rule is refused wherever it comes from.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class PlatformRoleTest {
    static final String NOWHERE = "http://127.0.0.1:9/hook";

    final Api acme = Api.newTenant();
    final Api globex = Api.newTenant();
    final String platform = Tokens.platform("billing-backend");

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static RequestSpecification as(String token, String tenant) {
        return as(token).header("Hookline-Tenant", tenant);
    }

    private static String webhookBody(String url) {
        return "{\"url\":\"" + url + "\"}";
    }

    @Test
    void a_platform_token_acts_for_the_tenant_its_header_names_and_the_tenant_sees_the_result() {
        String id = as(platform, acme.tenant)
                .body(webhookBody(NOWHERE))
                .post("/v1/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        acme.request().get("/v1/webhooks/" + id).then().statusCode(200);
        as(platform, acme.tenant).get("/v1/webhooks").then().statusCode(200).body("data.id", equalTo(List.of(id)));
        assertEquals(
                acme.tenant,
                Db.query("SELECT tenant FROM webhook WHERE id = ?", id).get(0).get(0));
        // the same platform token, naming another tenant, sees none of it
        as(platform, globex.tenant).get("/v1/webhooks/" + id).then().statusCode(404);
        as(platform, globex.tenant).get("/v1/webhooks").then().statusCode(200).body("data", hasSize(0));
        globex.request().get("/v1/webhooks/" + id).then().statusCode(404);
    }

    @Test
    void a_platform_token_without_the_header_gets_a_400_that_says_to_name_the_tenant() {
        as(platform)
                .body(webhookBody(NOWHERE))
                .post("/v1/webhooks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("Hookline-Tenant"));
        as(platform).get("/v1/webhooks").then().statusCode(400).body("detail", containsString("Hookline-Tenant"));
        as(platform)
                .body("{\"type\":\"invoice.paid\",\"data\":{}}")
                .post("/v1/events")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("name the tenant in the Hookline-Tenant header"));
        as(platform).get("/v1/audit").then().statusCode(400);
        as(platform).get("/v1/deliveries/dlv_00000000000000000000000000").then().statusCode(400);
    }

    @Test
    void with_the_platform_role_the_header_decides_even_when_the_token_also_has_a_tenant_claim() {
        String both = Tokens.tenantWithPlatformRole(acme.tenant);
        as(both).get("/v1/webhooks").then().statusCode(400).body("detail", containsString("Hookline-Tenant"));
        as(both, globex.tenant)
                .body(webhookBody(NOWHERE))
                .post("/v1/webhooks")
                .then()
                .statusCode(201);
        globex.request().get("/v1/webhooks").then().body("data", hasSize(1));
        acme.request().get("/v1/webhooks").then().body("data", hasSize(0));
    }

    @Test
    void the_header_on_a_token_without_the_role_and_without_a_tenant_claim_is_a_403() {
        as(Tokens.withoutTenant(), acme.tenant)
                .get("/v1/webhooks")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("Hookline-Tenant needs the platform role (hookline-platform)"));
        // another role is not the platform role
        String admin = Jwt.subject("operator")
                .groups(Set.of("hookline-admin"))
                .issuer("https://server.example.com")
                .sign();
        as(admin, acme.tenant).get("/v1/webhooks").then().statusCode(403);
    }

    @Test
    void a_tenant_token_may_name_its_own_tenant_but_no_other() {
        String id = acme.createWebhook(NOWHERE);
        as(acme.token(), acme.tenant).get("/v1/webhooks/" + id).then().statusCode(200);
        as(acme.token(), acme.tenant)
                .body(webhookBody(NOWHERE))
                .post("/v1/webhooks")
                .then()
                .statusCode(201);
        as(acme.token(), globex.tenant)
                .get("/v1/webhooks")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("only for its own tenant"));
        as(acme.token(), globex.tenant)
                .body(webhookBody(NOWHERE))
                .post("/v1/webhooks")
                .then()
                .statusCode(403);
        globex.request().get("/v1/webhooks").then().body("data", hasSize(0));
        acme.request().get("/v1/webhooks").then().body("data", hasSize(2));
    }

    @Test
    void the_role_counts_as_a_keycloak_realm_role_too() {
        String realm = Tokens.platformByRealmRole("billing-backend");
        as(realm, acme.tenant)
                .body(webhookBody(NOWHERE))
                .post("/v1/webhooks")
                .then()
                .statusCode(201);
        acme.request().get("/v1/webhooks").then().body("data", hasSize(1));
        as(realm).get("/v1/webhooks").then().statusCode(400);
    }

    /** Client roles count only for the client named by quarkus.oidc.client-id: see PlatformClientRoleTest. */
    @Test
    void a_client_role_of_a_client_that_is_not_configured_is_not_the_platform_role() {
        as(Tokens.platformByClientRole("billing-backend", "hookline"), acme.tenant)
                .get("/v1/webhooks")
                .then()
                .statusCode(403);
    }

    @Test
    void a_malformed_header_is_a_400_problem_for_every_caller() throws IOException {
        List<String> malformed = List.of(
                "acme corp", "acme/eu", "acme,globex", "\"acme\"", "acme;x=1", "a".repeat(256), "acme%20corp", "<b>");
        for (String value : malformed) {
            for (String token : List.of(platform, acme.token(), Tokens.withoutTenant())) {
                as(token, value)
                        .get("/v1/webhooks")
                        .then()
                        .statusCode(400)
                        .contentType("application/problem+json")
                        .body("detail", containsString("Hookline-Tenant must be 1 to 255 characters"));
            }
        }
        // bytes RestAssured would not send: empty, non-ASCII (ISO-8859-1 on the wire), twice
        for (Map<String, String> headers :
                List.of(Map.of("Hookline-Tenant", ""), Map.of("Hookline-Tenant", "caf\u00e9"))) {
            RawHttp.Answer answer = raw(headers);
            assertEquals(400, answer.status(), headers + ": " + answer.text());
            assertTrue(answer.text().contains("Hookline-Tenant must be 1 to 255 characters"), answer.text());
        }
        // a control character never reaches Hookline: the HTTP layer refuses the request (400, no body)
        assertEquals(400, raw(Map.of("Hookline-Tenant", "ac\u0001me")).status());
        // RawHttp writes "name: value" lines: this name holds a first line, so the header goes out twice
        String twice = "Hookline-Tenant: " + acme.tenant + "\r\nHookline-Tenant";
        RawHttp.Answer answer = raw(Map.of(twice, acme.tenant));
        assertEquals(400, answer.status(), answer.text());
        assertTrue(answer.text().contains("Hookline-Tenant must be sent once"), answer.text());
        // and the longest valid value is accepted
        String longest = "a".repeat(255);
        as(platform, longest).get("/v1/webhooks").then().statusCode(200);
    }

    private RawHttp.Answer raw(Map<String, String> extra) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("Authorization", "Bearer " + platform);
        return RawHttp.send(RestAssured.port, "GET", "/v1/webhooks", headers, null, 10_000);
    }

    @Test
    void a_tenant_claim_that_breaks_the_rule_is_a_403_and_one_within_it_works() {
        for (String claim : List.of("acme corp", "acme/eu", "caf\u00e9", "a".repeat(256))) {
            String token = Jwt.subject("backend-service")
                    .claim("tenant", claim)
                    .issuer("https://server.example.com")
                    .sign();
            as(token)
                    .get("/v1/webhooks")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("detail", containsString("'tenant' claim must be 1 to 255 characters"));
        }
        for (String claim : List.of(
                "acme-billing",
                "acme_billing.eu",
                "5d1f7a52-3b4e-4f6a-9c1d-2e8b7a6c5d4e",
                "ops@acme.example",
                "auth0|5f7c8ec7c33c6c004bbafe82",
                "urn:acme:eu+1",
                "a".repeat(255))) {
            as(Tokens.forTenant(claim)).get("/v1/webhooks").then().statusCode(200);
        }
    }

    @Test
    void a_platform_publishes_for_two_tenants_and_each_sees_only_its_own_deliveries() {
        try (Receiver acmeReceiver = Receiver.start();
                Receiver globexReceiver = Receiver.start()) {
            String acmeHook = as(platform, acme.tenant)
                    .body(webhookBody(acmeReceiver.url()))
                    .post("/v1/webhooks")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            String globexHook = as(platform, globex.tenant)
                    .body(webhookBody(globexReceiver.url()))
                    .post("/v1/webhooks")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            String acmeEvent = publish(acme.tenant, "{\"customer\":\"acme\"}");
            String globexEvent = publish(globex.tenant, "{\"customer\":\"globex\"}");

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> acmeReceiver.count() == 1 && globexReceiver.count() == 1);
            assertTrue(acmeReceiver.requests().get(0).text().contains("\"customer\":\"acme\""));
            assertTrue(globexReceiver.requests().get(0).text().contains("\"customer\":\"globex\""));

            // each tenant, with its own token, sees its webhook, event and deliveries, and nothing of the other's
            acme.request().get("/v1/webhooks").then().body("data.id", equalTo(List.of(acmeHook)));
            globex.request().get("/v1/webhooks").then().body("data.id", equalTo(List.of(globexHook)));
            acme.request()
                    .get("/v1/webhooks/" + acmeHook + "/deliveries")
                    .then()
                    .statusCode(200)
                    .body("data.eventId", equalTo(List.of(acmeEvent)));
            acme.request().get("/v1/events/" + acmeEvent).then().statusCode(200);
            acme.request().get("/v1/events/" + globexEvent).then().statusCode(404);
            acme.request()
                    .get("/v1/webhooks/" + globexHook + "/deliveries")
                    .then()
                    .statusCode(404);
            globex.request().get("/v1/events/" + acmeEvent).then().statusCode(404);
            String globexDelivery = globex.request()
                    .get("/v1/webhooks/" + globexHook + "/deliveries")
                    .then()
                    .statusCode(200)
                    .body("data.eventId", equalTo(List.of(globexEvent)))
                    .extract()
                    .path("data[0].id");
            acme.request().get("/v1/deliveries/" + globexDelivery).then().statusCode(404);
            // and the platform, naming one tenant, cannot reach the other's objects
            as(platform, acme.tenant)
                    .get("/v1/deliveries/" + globexDelivery)
                    .then()
                    .statusCode(404);
            as(platform, acme.tenant)
                    .post("/v1/deliveries/" + globexDelivery + "/redeliver")
                    .then()
                    .statusCode(404);
            as(platform, globex.tenant)
                    .get("/v1/deliveries/" + globexDelivery)
                    .then()
                    .statusCode(200);
            assertEquals(1, Db.count("SELECT count(*) FROM event WHERE tenant = ? AND id = ?", acme.tenant, acmeEvent));
        }
    }

    private String publish(String tenant, String data) {
        return as(platform, tenant)
                .body("{\"type\":\"invoice.paid\",\"data\":" + data + "}")
                .post("/v1/events")
                .then()
                .statusCode(202)
                .body("deliveries", equalTo(1))
                .extract()
                .path("id");
    }

    @Test
    void every_tenant_operation_works_through_the_platform_role() {
        try (Receiver receiver = Receiver.start()) {
            String id = as(platform, acme.tenant)
                    .body(webhookBody(receiver.url()))
                    .post("/v1/webhooks")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            as(platform, acme.tenant).get("/v1/webhooks/" + id).then().statusCode(200);
            as(platform, acme.tenant)
                    .body("{\"description\":\"by the platform\"}")
                    .patch("/v1/webhooks/" + id)
                    .then()
                    .statusCode(200);
            as(platform, acme.tenant)
                    .post("/v1/webhooks/" + id + "/test")
                    .then()
                    .statusCode(200)
                    .body("success", equalTo(true));
            String event = publish(acme.tenant, "{}");
            as(platform, acme.tenant).get("/v1/events/" + event).then().statusCode(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> receiver.count() == 2);
            String delivery = as(platform, acme.tenant)
                    .queryParam("status", "succeeded")
                    .get("/v1/webhooks/" + id + "/deliveries")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("data[0].id");
            as(platform, acme.tenant).get("/v1/deliveries/" + delivery).then().statusCode(200);
            as(platform, acme.tenant)
                    .post("/v1/deliveries/" + delivery + "/redeliver")
                    .then()
                    .statusCode(202);
            as(platform, acme.tenant)
                    .body("{\"graceSeconds\":60}")
                    .post("/v1/webhooks/" + id + "/rotate")
                    .then()
                    .statusCode(200);
            as(platform, acme.tenant).delete("/v1/webhooks/" + id).then().statusCode(204);
            acme.request().get("/v1/webhooks/" + id).then().statusCode(404);
        }
    }
}
