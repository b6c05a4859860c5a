package io.hookline.auth;

import io.hookline.testsupport.Api;
import io.hookline.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The verified-token cache ({@link VerifiedTokens}): a token is verified by quarkus-oidc once and then served from
 * memory with the same tenant and roles, and nothing quarkus-oidc refuses gets through because another token, or the
 * same one earlier, was accepted.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class VerifiedTokensTest {
    static final String ISSUER = "https://server.example.com";

    @Inject
    VerifiedTokens tokens;

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static void publish(String token, int status) {
        as(token)
                .body("{\"type\":\"order.paid\",\"data\":{}}")
                .post("/v1/events")
                .then()
                .statusCode(status);
    }

    @Test
    void a_token_used_again_is_served_from_memory_and_still_acts_for_its_own_tenant_only() {
        Api acme = Api.newTenant();
        Api globex = Api.newTenant();
        long before = tokens.size();
        publish(acme.token(), 202);
        assertTrue(tokens.size() > before, "the verified token is remembered");
        long served = tokens.served();
        publish(acme.token(), 202);
        assertTrue(tokens.served() > served, "the token's second request is answered from memory");
        for (int i = 0; i < 2; i++) {
            String id = acme.publish("order.paid", "{\"n\":" + i + "}");
            acme.request().get("/v1/events/" + id).then().statusCode(200).body("id", equalTo(id));
            // the stored token's claim still decides the tenant: no other tenant's event, no other tenant's header
            globex.request().get("/v1/events/" + id).then().statusCode(404);
            acme.request()
                    .header(Tenant.HEADER, globex.tenant)
                    .get("/v1/webhooks")
                    .then()
                    .statusCode(403);
        }
    }

    @Test
    void a_platform_token_keeps_its_role_when_served_from_memory() {
        Api acme = Api.newTenant();
        String platform = Tokens.platform("billing-backend");
        for (int i = 0; i < 3; i++) {
            as(platform)
                    .header(Tenant.HEADER, acme.tenant)
                    .get("/v1/webhooks")
                    .then()
                    .statusCode(200);
            // without the header the platform role asks for one, every time
            as(platform).get("/v1/webhooks").then().statusCode(400);
        }
    }

    @Test
    void a_token_accepted_before_its_expiry_is_refused_after_it() {
        String tenant = Tokens.newTenant();
        long exp = Instant.now().getEpochSecond() + 2;
        String token = Jwt.subject("backend-service")
                .claim("tenant", tenant)
                .issuer(ISSUER)
                .expiresAt(exp)
                .sign();
        publish(token, 202);
        publish(token, 202);
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().getEpochSecond() > exp);
        publish(token, 401);
    }

    @Test
    void a_token_differing_from_a_remembered_one_only_in_its_signature_is_refused() throws NoSuchAlgorithmException {
        String tenant = Tokens.newTenant();
        String genuine = Tokens.forTenant(tenant);
        publish(genuine, 202);
        publish(genuine, 202);
        String payload = genuine.substring(0, genuine.lastIndexOf('.'));
        String signature = genuine.substring(genuine.lastIndexOf('.') + 1);
        char last = signature.charAt(signature.length() - 2);
        String tampered = payload
                + '.'
                + signature.substring(0, signature.length() - 2)
                + (last == 'A' ? 'B' : 'A')
                + signature.charAt(signature.length() - 1);
        publish(tampered, 401);
        // the same claims signed with another key
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String forged = Jwt.subject("backend-service")
                .claim("tenant", tenant)
                .issuer(ISSUER)
                .sign(rsa.generateKeyPair().getPrivate());
        publish(forged, 401);
        publish(forged, 401);
        publish(genuine, 202);
    }

    @Test
    void a_token_of_another_issuer_is_refused_every_time() {
        String token = Jwt.subject("backend-service")
                .claim("tenant", Tokens.newTenant())
                .issuer("https://elsewhere.example.com")
                .sign();
        publish(token, 401);
        publish(token, 401);
    }
}
