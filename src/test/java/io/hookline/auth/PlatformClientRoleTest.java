package io.hookline.auth;

import io.hookline.testsupport.Api;
import io.hookline.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;

/**
 * The platform role as a Keycloak client role: it counts when it is a role of the client named by
 * {@code quarkus.oidc.client-id} (as the README says for the admin role), and a role of another client does not.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@TestProfile(PlatformClientRoleTest.ClientId.class)
class PlatformClientRoleTest {
    public static class ClientId implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.client-id", "hookline");
        }
    }

    final Api acme = Api.newTenant();

    @Test
    void a_client_role_of_the_configured_client_is_the_platform_role() {
        given().auth()
                .oauth2(Tokens.platformByClientRole("billing-backend", "hookline"))
                .header("Hookline-Tenant", acme.tenant)
                .contentType("application/json")
                .body("{\"url\":\"http://127.0.0.1:9/hook\"}")
                .post("/v1/webhooks")
                .then()
                .statusCode(201);
        acme.request().get("/v1/webhooks").then().body("data", hasSize(1));
    }

    @Test
    void a_client_role_of_another_client_is_not() {
        given().auth()
                .oauth2(Tokens.platformByClientRole("billing-backend", "some-other-client"))
                .header("Hookline-Tenant", acme.tenant)
                .get("/v1/webhooks")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
    }
}
