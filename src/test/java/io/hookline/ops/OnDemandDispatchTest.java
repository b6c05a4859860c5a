package io.hookline.ops;

import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Scale-to-zero: nothing is sent until a trigger calls the admin dispatch, which drains what is due. */
@QuarkusTest
@TestProfile(OnDemandDispatchTest.OnDemand.class)
@WithTestResource(OidcWiremockTestResource.class)
class OnDemandDispatchTest {

    public static class OnDemand implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hookline.dispatcher.mode", "on-demand");
        }
    }

    @Test
    void in_on_demand_mode_deliveries_wait_for_the_dispatch_call_which_drains_them() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'hookline' }.data.dispatcher", equalTo("on-demand"));
        try (Receiver receiver = Receiver.start()) {
            Api api = Api.newTenant();
            api.createWebhookWithSecret(receiver.url());
            for (int i = 0; i < 20; i++) {
                api.publish("a.b", "{\"i\":" + i + "}");
            }
            // nothing runs between calls: no poll, no LISTEN, no worker
            assertEquals(
                    20, Db.count("SELECT count(*) FROM delivery WHERE tenant = ? AND status = 'pending'", api.tenant));
            assertEquals(0, receiver.count());

            given().auth()
                    .oauth2(Tokens.withGroups("ops", "hookline-admin"))
                    .queryParam("seconds", 30)
                    .post("/v1/admin/dispatch")
                    .then()
                    .statusCode(200)
                    .body("queueEmpty", equalTo(true))
                    .body("recorded", greaterThanOrEqualTo(20));
            // the call returns after every result is written
            assertEquals(20, receiver.count());
            assertEquals(
                    20,
                    Db.count("SELECT count(*) FROM delivery WHERE tenant = ? AND status = 'succeeded'", api.tenant));
        }
    }
}
