package io.hookline.api;

import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class WebhookApiTest {

    final Api api = Api.newTenant();

    @Test
    void creating_a_webhook_returns_it_with_a_secret_shown_only_once() {
        String secret = api.request()
                .body(
                        "{\"url\":\"https://example.com/hook\",\"description\":\"ledger\",\"eventTypes\":[\"transaction.*\",\"subscription.created\",\"transaction.*\"]}")
                .post("/v1/webhooks")
                .then()
                .statusCode(201)
                .header("Location", matchesPattern("/v1/webhooks/wh_[0-9a-z]{26}"))
                .body("id", matchesPattern("wh_[0-9a-z]{26}"))
                .body("url", equalTo("https://example.com/hook"))
                .body("description", equalTo("ledger"))
                .body("eventTypes", contains("transaction.*", "subscription.created"))
                .body("enabled", equalTo(true))
                .body("secret", matchesPattern("whsec_[A-Za-z0-9+/]{43}="))
                .extract()
                .path("secret");
        assertEquals(32, java.util.Base64.getDecoder().decode(secret.substring(6)).length);

        api.request()
                .get("/v1/webhooks")
                .then()
                .statusCode(200)
                .body("data", hasSize(1))
                .body("data[0].secret", nullValue())
                .body("data[0].eventTypes", contains("transaction.*", "subscription.created"));
    }

    @Test
    void get_patch_and_list_see_the_change() {
        String id = api.createWebhook("https://example.com/a");
        api.request()
                .get("/v1/webhooks/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("secret", nullValue());

        api.request()
                .body("{\"url\":\"https://example.com/b\",\"description\":\"d\",\"eventTypes\":[\"a.b\"]}")
                .patch("/v1/webhooks/" + id)
                .then()
                .statusCode(200)
                .body("url", equalTo("https://example.com/b"))
                .body("description", equalTo("d"))
                .body("eventTypes", contains("a.b"));
        api.request()
                .body("{\"description\":null,\"enabled\":false}")
                .patch("/v1/webhooks/" + id)
                .then()
                .statusCode(200)
                .body("description", nullValue())
                .body("enabled", equalTo(false))
                .body("disabledReason", equalTo("disabled by API"));
        api.request()
                .body("{\"enabled\":true}")
                .patch("/v1/webhooks/" + id)
                .then()
                .statusCode(200)
                .body("enabled", equalTo(true))
                .body("disabledReason", nullValue());
        api.request().get("/v1/webhooks/" + id).then().body("url", equalTo("https://example.com/b"));
    }

    @Test
    void list_is_newest_first_and_paginates_with_a_cursor() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(api.createWebhook("https://example.com/" + i));
        }
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            var req = api.request().queryParam("limit", 2);
            if (after != null) {
                req.queryParam("after", after);
            }
            var body = req.get("/v1/webhooks").then().statusCode(200).extract().jsonPath();
            seen.addAll(body.getList("data.id"));
            after = body.getString("next");
            pages++;
        } while (after != null);
        assertEquals(3, pages);
        java.util.Collections.reverse(ids);
        assertEquals(ids, seen);
    }

    @Test
    void an_invalid_patch_changes_nothing() {
        String id = api.createWebhook("https://example.com/a");
        api.request()
                .body("{\"description\":\"new\",\"url\":\"ftp://x\"}")
                .patch("/v1/webhooks/" + id)
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("url"));
        api.request()
                .body("{\"colour\":\"red\"}")
                .patch("/v1/webhooks/" + id)
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("colour"));
        api.request()
                .get("/v1/webhooks/" + id)
                .then()
                .body("description", nullValue())
                .body("url", equalTo("https://example.com/a"));
    }

    @Test
    void bad_bodies_get_a_problem_naming_the_field_and_write_nothing() {
        problem(api.request().body("{\"url\":\"ftp://example.com\"}"), 422, "url");
        problem(api.request().body("{\"url\":\"/relative\"}"), 422, "url");
        problem(api.request().body("{\"url\":\"https://user:pw@example.com/\"}"), 422, "url");
        problem(api.request().body("{\"url\":\"https://example.com/" + "x".repeat(2048) + "\"}"), 422, "url");
        problem(api.request().body("{}"), 422, "url");
        problem(
                api.request().body("{\"url\":\"https://example.com\",\"description\":\"" + "d".repeat(513) + "\"}"),
                422,
                "description");
        problem(
                api.request().body("{\"url\":\"https://example.com\",\"eventTypes\":[\"Bad Type\"]}"),
                422,
                "eventTypes[0]");
        problem(api.request().body("{\"url\":\"https://example.com\",\"eventTypes\":[\"a*b\"]}"), 422, "eventTypes[0]");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        problem(
                api.request().body("{\"url\":\"https://example.com\",\"eventTypes\":" + many + "]}"),
                422,
                "eventTypes");
        problem(api.request().body("{\"url\":123}"), 422, "url");
        problem(api.request().body("{\"url\":\"https://example.com\",\"eventTypes\":\"a\"}"), 422, "eventTypes");
        problem(api.request().body("{\"url\":\"https://example.com\",\"extra\":1}"), 422, "extra");
        api.request()
                .body("{\"url\":")
                .post("/v1/webhooks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("not valid JSON"));
        api.request().body("[1,2]").post("/v1/webhooks").then().statusCode(400).contentType("application/problem+json");
        api.request()
                .contentType(ContentType.TEXT)
                .body("url=https://example.com")
                .post("/v1/webhooks")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        api.request()
                .body("{\"url\":\"https://example.com\",\"description\":\"" + "x".repeat(1_100_000) + "\"}")
                .post("/v1/webhooks")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413));
        api.request()
                .queryParam("limit", 0)
                .get("/v1/webhooks")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("limit"));
        api.request()
                .queryParam("limit", "many")
                .get("/v1/webhooks")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("limit"));

        assertEquals(0, Db.count("select count(*) from webhook where tenant = ?", api.tenant));
    }

    private static ValidatableResponse problem(
            io.restassured.specification.RequestSpecification request, int status, String field) {
        return request.post("/v1/webhooks")
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("title", notNullValue())
                .body("detail", containsString(field))
                .body("errors.field", hasItem(field));
    }

    @Test
    void rotation_replaces_the_secret_and_can_keep_the_old_one_for_a_grace_period() {
        var created = api.request()
                .body("{\"url\":\"https://example.com\"}")
                .post("/v1/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String id = created.getString("id");
        String first = created.getString("secret");

        String second = api.request()
                .body("{\"graceSeconds\":3600}")
                .post("/v1/webhooks/" + id + "/rotate")
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .extract()
                .path("secret");
        assertNotEquals(first, second);
        assertEquals(
                2,
                Db.count(
                        "select count(*) from webhook_secret where webhook_id = ? and "
                                + "(expires_at is null or expires_at > now())",
                        id));
        assertEquals(
                1,
                Db.count(
                        "select count(*) from webhook_secret where webhook_id = ? and "
                                + "expires_at between now() + interval '3590 seconds' and now() + interval '3610 seconds'",
                        id));

        String third = api.request()
                .post("/v1/webhooks/" + id + "/rotate")
                .then()
                .statusCode(200)
                .extract()
                .path("secret");
        assertNotEquals(second, third);
        // without grace every older secret stops at once, including the one still in its grace period
        assertEquals(
                1,
                Db.count(
                        "select count(*) from webhook_secret where webhook_id = ? and "
                                + "(expires_at is null or expires_at > now())",
                        id));

        api.request()
                .body("{\"graceSeconds\":-1}")
                .post("/v1/webhooks/" + id + "/rotate")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("graceSeconds"));
        api.request()
                .body("{\"graceSeconds\":\"soon\"}")
                .post("/v1/webhooks/" + id + "/rotate")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("graceSeconds"));
    }

    @Test
    void the_plaintext_secret_is_stored_in_no_column_of_any_table() {
        String secret = api.request()
                .body("{\"url\":\"https://example.com\"}")
                .post("/v1/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("secret");
        String id = api.createWebhook("https://example.com/2");
        String rotated = api.request()
                .body("{\"graceSeconds\":60}")
                .post("/v1/webhooks/" + id + "/rotate")
                .then()
                .extract()
                .path("secret");
        List<List<Object>> columns = Db.query(
                "select table_name, column_name, data_type from information_schema.columns "
                        + "where table_schema = 'public' and data_type in ('text', 'bytea', 'character varying', 'ARRAY', 'jsonb')");
        int searched = 0;
        for (List<Object> c : columns) {
            String table = (String) c.get(0);
            String column = (String) c.get(1);
            boolean bytes = "bytea".equals(c.get(2));
            String expr = "ARRAY".equals(c.get(2))
                    ? "array_to_string(" + column + ", ',')"
                    : "jsonb".equals(c.get(2)) ? column + "::text" : column;
            String needle = bytes ? "convert_to(?, 'UTF8')" : "?";
            for (String s : List.of(secret, rotated, secret.substring(6), rotated.substring(6))) {
                assertEquals(
                        0,
                        Db.count(
                                "select count(*) from \"" + table + "\" where position(" + needle + " in " + expr
                                        + ") > 0",
                                s),
                        table + "." + column + " holds a plaintext secret");
            }
            searched++;
        }
        assertNotEquals(0, searched);
        assertEquals(2, Db.count("select count(*) from webhook_secret where webhook_id = ?", id));
    }

    @Test
    void revoking_is_irreversible_and_the_webhook_is_gone_for_every_verb() {
        String id = api.createWebhook("https://example.com");
        api.request().delete("/v1/webhooks/" + id).then().statusCode(204);
        api.request().get("/v1/webhooks/" + id).then().statusCode(404).contentType("application/problem+json");
        api.request()
                .body("{\"enabled\":true}")
                .patch("/v1/webhooks/" + id)
                .then()
                .statusCode(404);
        api.request().post("/v1/webhooks/" + id + "/rotate").then().statusCode(404);
        api.request().delete("/v1/webhooks/" + id).then().statusCode(404);
        api.request().get("/v1/webhooks").then().body("data.id", not(hasItem(id)));
        assertEquals(0, Db.count("select count(*) from webhook_secret where webhook_id = ?", id));
    }

    @Test
    void another_tenants_webhook_is_not_found_for_every_verb() {
        Api other = Api.newTenant();
        String id = other.createWebhook("https://example.com/theirs");
        api.request().get("/v1/webhooks/" + id).then().statusCode(404);
        api.request()
                .body("{\"description\":\"mine now\"}")
                .patch("/v1/webhooks/" + id)
                .then()
                .statusCode(404);
        api.request().post("/v1/webhooks/" + id + "/rotate").then().statusCode(404);
        api.request().delete("/v1/webhooks/" + id).then().statusCode(404);
        api.request().get("/v1/webhooks").then().body("data", hasSize(0));
        other.request().get("/v1/webhooks/" + id).then().statusCode(200).body("description", nullValue());
    }

    @Test
    void every_path_needs_a_token_and_a_tenant_claim() {
        given().get("/v1/webhooks")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"));
        given().auth().oauth2("not-a-jwt").get("/v1/webhooks").then().statusCode(401);
        given().contentType(ContentType.JSON)
                .body("{\"url\":\"https://example.com\"}")
                .post("/v1/webhooks")
                .then()
                .statusCode(401);
        given().delete("/v1/webhooks/wh_x").then().statusCode(401);
        given().auth()
                .oauth2(Tokens.withoutTenant())
                .get("/v1/webhooks")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("'tenant' claim"));
    }
}
