package io.hookline.sources;

import io.hookline.crypto.SecretCipher;
import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /v1/sources: the management API of inbound sources, per tenant, with the secret kept encrypted and never shown. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class SourceApiTest {
    static final String STRIPE_SECRET = "whsec_source_api_test_Qx2Lr0Tn4YbVw7KcE1u";

    final Api api = Api.newTenant();
    final Api other = Api.newTenant();

    @Inject
    SecretCipher cipher;

    JsonPath create(Api who, String body) {
        return who.request()
                .body(body)
                .post("/v1/sources")
                .then()
                .statusCode(201)
                .body("$", not(hasKey("secret")))
                .extract()
                .jsonPath();
    }

    @Test
    void a_source_is_created_with_an_unguessable_id_and_an_ingest_url_and_its_secret_is_never_returned() {
        JsonPath created = create(
                api,
                "{\"provider\":\"stripe\",\"secret\":\"" + STRIPE_SECRET + "\",\"description\":\"live\","
                        + "\"typeMapping\":{\"charge.dispute.created\":\"transaction.updated\"}}");
        String id = created.getString("id");
        assertTrue(id.matches("src_[0-9a-z]{42}"), id);
        assertTrue(created.getString("ingestUrl").matches("http://[^/]+/ingest/" + id), created.getString("ingestUrl"));
        assertEquals("stripe", created.getString("provider"));
        assertEquals("transaction.updated", created.getString("typeMapping.'charge.dispute.created'"));
        assertNull(created.get("signatureHeader"));
        assertNull(created.get("lastRejection"));
        assertNull(created.get("lastRejectedAt"));

        String got = api.request()
                .get("/v1/sources/" + id)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertFalse(got.contains(STRIPE_SECRET));
        assertFalse(got.contains("secret\""), got);

        // at rest: AES-GCM ciphertext, not the secret, and bound to this source's id
        List<Object> row = Db.query("SELECT key_id, nonce, ciphertext FROM source WHERE id = ?", id)
                .get(0);
        byte[] ciphertext = (byte[]) row.get(2);
        assertFalse(new String(ciphertext, StandardCharsets.ISO_8859_1).contains("source_api_test"));
        SecretCipher.Sealed sealed = new SecretCipher.Sealed((String) row.get(0), (byte[]) row.get(1), ciphertext);
        assertEquals(STRIPE_SECRET, cipher.open(sealed, id));
        assertThrows(IllegalStateException.class, () -> cipher.open(sealed, "src_another"));
    }

    @Test
    void sources_are_listed_newest_first_in_pages() {
        String[] ids = new String[3];
        for (int i = 0; i < 3; i++) {
            ids[i] = create(api, "{\"provider\":\"github\",\"secret\":\"gh-secret-" + i + "-abcdefgh\"}")
                    .getString("id");
        }
        JsonPath first = api.request()
                .queryParam("limit", 2)
                .get("/v1/sources")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(List.of(ids[2], ids[1]), first.getList("data.id"));
        JsonPath second = api.request()
                .queryParam("limit", 2)
                .queryParam("after", first.getString("next"))
                .get("/v1/sources")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(List.of(ids[0]), second.getList("data.id"));
        assertNull(second.get("next"));
    }

    @Test
    void a_source_is_changed_by_patch_and_deleted_for_good() {
        String id = create(
                        api,
                        "{\"provider\":\"hmac-sha256\",\"secret\":\"monitor-key-1234\",\"signatureHeader\":\"X-Signature\"}")
                .getString("id");
        api.request()
                .body("{\"description\":\"uptime checks\",\"signatureHeader\":\"X-Monitor-Signature\","
                        + "\"typeMapping\":{\"check.down\":\"monitor.down\"},\"secret\":\"monitor-key-5678\"}")
                .patch("/v1/sources/" + id)
                .then()
                .statusCode(200)
                .body("description", equalTo("uptime checks"))
                .body("signatureHeader", equalTo("X-Monitor-Signature"))
                .body("typeMapping.'check.down'", equalTo("monitor.down"))
                .body("$", not(hasKey("secret")));
        List<Object> row = Db.query("SELECT key_id, nonce, ciphertext FROM source WHERE id = ?", id)
                .get(0);
        assertEquals(
                "monitor-key-5678",
                cipher.open(
                        new SecretCipher.Sealed((String) row.get(0), (byte[]) row.get(1), (byte[]) row.get(2)), id));
        api.request()
                .body("{\"description\":null,\"typeMapping\":null}")
                .patch("/v1/sources/" + id)
                .then()
                .statusCode(200)
                .body("description", equalTo(null))
                .body("typeMapping.size()", equalTo(0));

        api.request().delete("/v1/sources/" + id).then().statusCode(204);
        api.request().get("/v1/sources/" + id).then().statusCode(404);
        api.request().delete("/v1/sources/" + id).then().statusCode(404);
        assertEquals(
                1,
                Db.count(
                        "SELECT count(*) FROM source WHERE id = ? AND ciphertext IS NULL AND deleted_at IS NOT NULL",
                        id));
        // every change is in the audit log, by field name only: no secret ever
        assertEquals(
                List.of("deleted", "changed", "changed", "created"),
                Db.query("SELECT action FROM audit_entry WHERE object_id = ? ORDER BY id DESC", id).stream()
                        .map(r -> (String) r.get(0))
                        .toList());
        assertEquals(
                0,
                Db.count("SELECT count(*) FROM audit_entry WHERE object_id = ? AND (detail LIKE '%monitor-key%')", id));
    }

    @Test
    void another_tenant_s_source_is_not_found_whatever_the_operation() {
        String id = create(other, "{\"provider\":\"github\",\"secret\":\"gh-secret-other-tenant\"}")
                .getString("id");
        api.request().get("/v1/sources/" + id).then().statusCode(404);
        api.request()
                .body("{\"description\":\"mine\"}")
                .patch("/v1/sources/" + id)
                .then()
                .statusCode(404);
        api.request().get("/v1/sources/" + id + "/requests").then().statusCode(404);
        api.request().delete("/v1/sources/" + id).then().statusCode(404);
        other.request().get("/v1/sources/" + id).then().statusCode(200).body("description", equalTo(null));
        assertEquals(
                0,
                api.request()
                        .get("/v1/sources")
                        .then()
                        .extract()
                        .jsonPath()
                        .getList("data")
                        .size());
    }

    @Test
    void bad_input_is_a_422_naming_the_field_and_writes_nothing() {
        String[][] cases = {
            {"{\"secret\":\"whsec_abcdefgh\"}", "provider"},
            {"{\"provider\":\"paypal\",\"secret\":\"whsec_abcdefgh\"}", "provider"},
            {"{\"provider\":\"stripe\"}", "secret"},
            {"{\"provider\":\"stripe\",\"secret\":\"whsec_\"}", "secret"},
            {"{\"provider\":\"stripe\",\"secret\":\"sk_live_abcdefgh\"}", "secret"},
            {"{\"provider\":\"stripe\",\"secret\":\" whsec_abcdefgh\"}", "secret"},
            {"{\"provider\":\"github\",\"secret\":\"" + "s".repeat(513) + "\"}", "secret"},
            {"{\"provider\":\"github\",\"secret\":\"abc\\u0000defghij\"}", "secret"},
            {"{\"provider\":\"standard-webhooks\",\"secret\":\"whsec_not base64!\"}", "secret"},
            {"{\"provider\":\"standard-webhooks\",\"secret\":\"whsec_QUJD\"}", "secret"},
            {"{\"provider\":\"hmac-sha256\",\"secret\":\"monitor-key-1234\"}", "signatureHeader"},
            {
                "{\"provider\":\"hmac-sha256\",\"secret\":\"monitor-key-1234\",\"signatureHeader\":\"X Sig\"}",
                "signatureHeader"
            },
            {
                "{\"provider\":\"github\",\"secret\":\"gh-secret-abcdefgh\",\"signatureHeader\":\"X-Sig\"}",
                "signatureHeader"
            },
            {
                "{\"provider\":\"github\",\"secret\":\"gh-secret-abcdefgh\",\"description\":\"" + "d".repeat(513)
                        + "\"}",
                "description"
            },
            {
                "{\"provider\":\"github\",\"secret\":\"gh-secret-abcdefgh\",\"typeMapping\":{\"push\":\"Code Pushed\"}}",
                "typeMapping.push"
            },
            {
                "{\"provider\":\"github\",\"secret\":\"gh-secret-abcdefgh\",\"typeMapping\":{\"push\":\"hookline.push\"}}",
                "typeMapping.push"
            },
            {
                "{\"provider\":\"github\",\"secret\":\"gh-secret-abcdefgh\",\"typeMapping\":{\"\":\"code.pushed\"}}",
                "typeMapping."
            },
            {
                "{\"provider\":\"github\",\"secret\":\"gh-secret-abcdefgh\",\"typeMapping\":{\"push\":5}}",
                "typeMapping.push"
            },
            {
                "{\"provider\":\"github\",\"secret\":\"gh-secret-abcdefgh\",\"typeMapping\":" + manyMappings() + "}",
                "typeMapping"
            },
            {"{\"provider\":\"github\",\"secret\":\"gh-secret-abcdefgh\",\"eventTypes\":[]}", "eventTypes"},
        };
        for (String[] c : cases) {
            api.request()
                    .body(c[0])
                    .post("/v1/sources")
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("errors.field", hasItem(c[1]));
        }
        api.request().body("{\"provider\":").post("/v1/sources").then().statusCode(400);
        api.request().body("").post("/v1/sources").then().statusCode(400);
        api.request()
                .contentType("text/plain")
                .body("x")
                .post("/v1/sources")
                .then()
                .statusCode(415);
        assertEquals(0, Db.count("SELECT count(*) FROM source WHERE tenant = ?", api.tenant));
    }

    @Test
    void a_bad_patch_changes_nothing() {
        String id = create(
                        api, "{\"provider\":\"stripe\",\"secret\":\"" + STRIPE_SECRET + "\",\"description\":\"keep\"}")
                .getString("id");
        String before = fingerprint(id);
        String[][] cases = {
            {"{\"provider\":\"github\"}", "provider"},
            {"{\"secret\":\"not-a-whsec\",\"description\":\"changed\"}", "secret"},
            {"{\"description\":5}", "description"},
            {"{\"typeMapping\":[\"a\"]}", "typeMapping"},
            {"{\"typeMapping\":{\"a\":\"Bad Type\"},\"description\":\"changed\"}", "typeMapping.a"},
            {"{\"signatureHeader\":\"X-Sig\"}", "signatureHeader"},
            {"{\"url\":\"https://example.com\"}", "url"},
        };
        for (String[] c : cases) {
            api.request()
                    .body(c[0])
                    .patch("/v1/sources/" + id)
                    .then()
                    .statusCode(422)
                    .body("errors.field", hasItem(c[1]));
        }
        api.request().body("[]").patch("/v1/sources/" + id).then().statusCode(400);
        assertEquals(before, fingerprint(id));
    }

    @Test
    void the_ingest_log_of_a_new_source_is_an_empty_page_and_its_parameters_are_checked() {
        String id = create(api, "{\"provider\":\"github\",\"secret\":\"gh-secret-abcdefgh\"}")
                .getString("id");
        api.request()
                .get("/v1/sources/" + id + "/requests")
                .then()
                .statusCode(200)
                .body("data.size()", equalTo(0))
                .body("$", not(hasKey("next")));
        api.request()
                .queryParam("limit", 0)
                .get("/v1/sources/" + id + "/requests")
                .then()
                .statusCode(422);
        api.request()
                .queryParam("after", "req_'")
                .get("/v1/sources/" + id + "/requests")
                .then()
                .statusCode(422);
    }

    private static String manyMappings() {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 101; i++) {
            json.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":\"x.y\"");
        }
        return json.append('}').toString();
    }

    private static String fingerprint(String id) {
        return (String) Db.query(
                        "SELECT md5(coalesce(description, '') || type_mapping::text || coalesce(signature_header, '') "
                                + "|| encode(ciphertext, 'hex') || updated_at::text) FROM source WHERE id = ?",
                        id)
                .get(0)
                .get(0);
    }
}
