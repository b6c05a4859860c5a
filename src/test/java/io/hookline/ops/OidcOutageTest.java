package io.hookline.ops;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The identity provider is down: callers get a clear 503 problem, never a 500. */
@QuarkusTest
@TestProfile(OidcOutageTest.ProviderDown.class)
class OidcOutageTest {

    public static class ProviderDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // port 9 on loopback: nothing listens there, the connection is refused at once
            return Map.of(
                    "quarkus.oidc.auth-server-url",
                    "http://127.0.0.1:9/realms/down",
                    "quarkus.oidc.connection-retry-count",
                    "0");
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_request_with_a_token_gets_a_503_problem_while_the_provider_is_unreachable() {
        String token = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k\"}") + "."
                + b64("{\"sub\":\"s\",\"tenant\":\"t\",\"iss\":\"http://127.0.0.1:9/realms/down\",\"exp\":4102444800}")
                + "." + b64("not-a-signature");
        given().auth()
                .oauth2(token)
                .get("/v1/webhooks")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("status", equalTo(503))
                .header("Retry-After", "5");
        given().get("/v1/webhooks").then().statusCode(401);
    }
}
