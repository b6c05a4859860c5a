package io.hookline.auth;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.hookline.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWireMock;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;

/**
 * The README's option for instant revocation: with the settings it documents, every token is checked by the
 * provider's introspection endpoint, so a token the provider no longer vouches for is refused although its signature
 * and expiry are fine.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@TestProfile(TokenIntrospectionTest.Introspection.class)
class TokenIntrospectionTest {
    private static final String INTROSPECT = "/auth/realms/quarkus/protocol/openid-connect/token/introspect";

    /** Exactly the variables the README gives, as configuration keys. */
    public static class Introspection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.oidc.token.require-jwt-introspection-only",
                    "true",
                    "quarkus.oidc.client-id",
                    "hookline",
                    "quarkus.oidc.credentials.secret",
                    "introspection-secret");
        }
    }

    @OidcWireMock
    WireMockServer provider;

    private String introspectedAs(boolean active, String tenant) {
        String token = Tokens.forTenant(tenant);
        long exp = System.currentTimeMillis() / 1000 + 300;
        String answer = active
                ? "{\"active\":true,\"sub\":\"backend-service\",\"tenant\":\"" + tenant
                        + "\",\"iss\":\"https://server.example.com\",\"exp\":" + exp + "}"
                : "{\"active\":false}";
        provider.stubFor(post(urlEqualTo(INTROSPECT))
                .withRequestBody(containing("token=" + token))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(answer)));
        return token;
    }

    @Test
    void a_token_the_provider_still_vouches_for_is_accepted() {
        given().auth()
                .oauth2(introspectedAs(true, Tokens.newTenant()))
                .get("/v1/webhooks")
                .then()
                .statusCode(200);
    }

    @Test
    void a_validly_signed_token_the_provider_calls_inactive_is_refused_at_once() {
        given().auth()
                .oauth2(introspectedAs(false, Tokens.newTenant()))
                .get("/v1/webhooks")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
    }

    /**
     * Introspected tokens are never remembered (see VerifiedTokens): a token the provider accepted a moment ago and
     * then calls inactive is refused on the next call.
     */
    @Test
    void a_token_the_provider_revokes_after_accepting_it_is_refused_on_the_next_call() {
        String tenant = Tokens.newTenant();
        String token = introspectedAs(true, tenant);
        given().auth().oauth2(token).get("/v1/webhooks").then().statusCode(200);
        given().auth().oauth2(token).get("/v1/webhooks").then().statusCode(200);
        provider.stubFor(post(urlEqualTo(INTROSPECT))
                .withRequestBody(containing("token=" + token))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"active\":false}")));
        given().auth().oauth2(token).get("/v1/webhooks").then().statusCode(401);
    }

    /**
     * The README's warning: with introspection, a provider that cannot answer makes every call fail, and Quarkus
     * reports it as an authentication failure (401, after its connection retries), not as 503.
     */
    @Test
    void when_the_provider_cannot_answer_the_call_is_refused_with_401_not_500() {
        String token = Tokens.forTenant(Tokens.newTenant());
        provider.stubFor(post(urlEqualTo(INTROSPECT))
                .withRequestBody(containing("token=" + token))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        given().auth().oauth2(token).get("/v1/webhooks").then().statusCode(401).contentType("application/problem+json");
    }
}
