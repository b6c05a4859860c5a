package io.hookline.api;

import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every JSON body is read as written: no coercion, no repeated keys, nothing after the value. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class StrictJsonTest {
    final Api api = Api.newTenant();

    @Test
    void a_value_of_the_wrong_json_type_is_a_422_and_is_not_coerced() {
        api.request()
                .body("{\"url\":5}")
                .post("/v1/webhooks")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("url"));
        api.request()
                .body("{\"url\":\"http://127.0.0.1:9/h\",\"description\":true}")
                .post("/v1/webhooks")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("description"));
        String id = api.createWebhook("http://127.0.0.1:9/h");
        api.request()
                .body("{\"graceSeconds\":\"10\"}")
                .post("/v1/webhooks/" + id + "/rotate")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("graceSeconds"));
        api.request()
                .body("{\"graceSeconds\":1.5}")
                .post("/v1/webhooks/" + id + "/rotate")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("graceSeconds"));
        assertEquals(1, Db.count("select count(*) from webhook where tenant = ?", api.tenant));
    }

    @Test
    void a_repeated_key_is_a_422_naming_it_and_trailing_content_a_400() {
        api.request()
                .body("{\"url\":\"http://127.0.0.1:9/a\",\"url\":\"http://127.0.0.1:9/b\"}")
                .post("/v1/webhooks")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("url"));
        api.request()
                .body("{\"url\":\"http://127.0.0.1:9/a\"} {}")
                .post("/v1/webhooks")
                .then()
                .statusCode(400);
        api.request()
                .body("{\"url\":\"http://127.0.0.1:9/a\",\n \"description\": x}")
                .post("/v1/webhooks")
                .then()
                .statusCode(400)
                .body("detail", containsString("line 2"));
        assertEquals(0, Db.count("select count(*) from webhook where tenant = ?", api.tenant));
    }
}
