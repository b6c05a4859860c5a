package io.hookline.ratelimit;

import io.hookline.testsupport.Api;
import io.hookline.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * The per-tenant rate limit over HTTP, with a burst of 5. The refill is one request per 20 s, so a test's requests
 * never earn a token back however slowly the machine runs them, and every count below is exact.
 */
@QuarkusTest
@TestProfile(RateLimitTest.SmallLimit.class)
@WithTestResource(OidcWiremockTestResource.class)
class RateLimitTest {

    public static class SmallLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hookline.rate-limit.burst", "5", "hookline.rate-limit.requests-per-second", "0.05");
        }
    }

    @Test
    void a_tenant_gets_its_burst_with_decreasing_remaining_then_429_with_retry_after_and_a_problem() {
        Api api = Api.newTenant();
        for (int remaining = 4; remaining >= 0; remaining--) {
            api.request()
                    .get("/v1/webhooks")
                    .then()
                    .statusCode(200)
                    .header("X-RateLimit-Limit", "5")
                    .header("X-RateLimit-Remaining", String.valueOf(remaining))
                    .header(
                            "X-RateLimit-Reset",
                            Integer::parseInt,
                            allOf(greaterThanOrEqualTo(1), lessThanOrEqualTo(100)));
        }
        api.request()
                .get("/v1/webhooks")
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", Integer::parseInt, allOf(greaterThanOrEqualTo(1), lessThanOrEqualTo(20)))
                .header("X-RateLimit-Limit", "5")
                .header("X-RateLimit-Remaining", "0")
                .header("X-RateLimit-Reset", Integer::parseInt, allOf(greaterThanOrEqualTo(80), lessThanOrEqualTo(100)))
                .body("status", equalTo(429))
                .body("title", equalTo("Too many requests"))
                .body("type", equalTo("https://hookline.dev/problems/rate-limited"))
                .body("detail", startsWith("rate limit of 5 requests exceeded"));
    }

    @Test
    void error_answers_are_counted_and_carry_the_headers() {
        Api api = Api.newTenant();
        api.request()
                .get("/v1/webhooks/wh_doesnotexist")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .header("X-RateLimit-Limit", "5")
                .header("X-RateLimit-Remaining", "4");
        api.request()
                .body("{\"url\":\"https://example.com/hook\",\"nope\":1}")
                .post("/v1/webhooks")
                .then()
                .statusCode(422)
                .header("X-RateLimit-Remaining", "3");
    }

    @Test
    void another_tenant_is_not_affected() {
        Api busy = Api.newTenant();
        for (int i = 0; i < 5; i++) {
            busy.request().get("/v1/webhooks").then().statusCode(200);
        }
        busy.request().get("/v1/webhooks").then().statusCode(429);

        Api.newTenant().request().get("/v1/webhooks").then().statusCode(200).header("X-RateLimit-Remaining", "4");
        busy.request().get("/v1/webhooks").then().statusCode(429);
    }

    @Test
    void requests_without_a_valid_token_get_401_and_take_nothing_from_the_tenants_bucket() {
        String tenant = Tokens.newTenant();
        // the tenant's claim, but signed for another issuer: never authenticated, so never counted
        String foreign = Jwt.subject("backend-service")
                .claim("tenant", tenant)
                .issuer("https://other.example.com")
                .sign();
        for (int i = 0; i < 6; i++) {
            given().auth()
                    .oauth2(foreign)
                    .get("/v1/webhooks")
                    .then()
                    .statusCode(401)
                    .header("X-RateLimit-Remaining", nullValue());
            given().get("/v1/webhooks").then().statusCode(401).header("X-RateLimit-Remaining", nullValue());
        }
        given().auth()
                .oauth2(Tokens.forTenant(tenant))
                .get("/v1/webhooks")
                .then()
                .statusCode(200)
                .header("X-RateLimit-Remaining", "4");
    }

    @Test
    void a_token_without_the_tenant_claim_gets_its_403_uncounted() {
        for (int i = 0; i < 6; i++) {
            given().auth()
                    .oauth2(Tokens.withoutTenant())
                    .get("/v1/webhooks")
                    .then()
                    .statusCode(403)
                    .header("X-RateLimit-Limit", nullValue());
        }
    }
}
