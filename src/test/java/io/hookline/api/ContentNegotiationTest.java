package io.hookline.api;

import io.hookline.testsupport.Api;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;

/** What generated clients send as Accept never earns a 406: the API has one representation per answer. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class ContentNegotiationTest {
    static final List<String> ACCEPTS = List.of(
            "application/problem+json",
            "application/json",
            "application/json, application/problem+json",
            "*/*",
            "text/html");

    final Api api = Api.newTenant();

    @Test
    void every_accept_a_client_sends_gets_the_answer_and_never_a_406() {
        for (String accept : ACCEPTS) {
            String id = api.createWebhook("http://127.0.0.1:9/hook");
            api.request()
                    .accept(accept)
                    .get("/v1/webhooks/" + id)
                    .then()
                    .statusCode(200)
                    .contentType("application/json")
                    .body("id", equalTo(id));
            api.request()
                    .accept(accept)
                    .get("/v1/webhooks/wh_unknown")
                    .then()
                    .statusCode(404)
                    .contentType("application/problem+json");
            api.request()
                    .accept(accept)
                    .body("{\"type\":\"a.b\",\"data\":{}}")
                    .post("/v1/events")
                    .then()
                    .statusCode(202)
                    .contentType("application/json");
            api.request().accept(accept).delete("/v1/webhooks/" + id).then().statusCode(204);
        }
    }
}
