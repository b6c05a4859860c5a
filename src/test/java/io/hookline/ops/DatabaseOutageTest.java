package io.hookline.ops;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hookline.testsupport.Api;
import io.hookline.testsupport.ProxiedDatabase;
import io.hookline.testsupport.Receiver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A real outage: the TCP path to PostgreSQL is cut and restored under the running service. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(ProxiedDatabase.class)
class DatabaseOutageTest {

    @Test
    void readiness_goes_down_without_the_database_and_up_again_and_delivery_resumes() {
        given().get("/q/health/ready").then().statusCode(200);
        ProxiedDatabase.proxy.cut();
        await().atMost(Duration.ofSeconds(15)).until(() -> given().get("/q/health/ready").statusCode() == 503);
        // DOWN says which pool, never where the database is (the driver's message names host and port)
        String down = given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'database' }.status", equalTo("DOWN")).extract().asString();
        for (String where : List.of("127.0.0.1", "localhost", String.valueOf(ProxiedDatabase.proxy.port()))) {
            assertFalse(down.contains(where), "readiness shows " + where + ": " + down);
        }
        given().get("/q/health/live").then().statusCode(200);
        // the API answers a clear error, not a hang
        Api api = Api.newTenant();
        int status = api.request().get("/v1/webhooks").statusCode();
        org.junit.jupiter.api.Assertions.assertTrue(status == 503 || status == 500, "status " + status);

        ProxiedDatabase.proxy.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        try (Receiver receiver = Receiver.start()) {
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                api.createWebhookWithSecret(receiver.url());
                return true;
            });
            api.publish("a.b", "{}");
            await().atMost(Duration.ofSeconds(5)).until(() -> receiver.count() >= 1);
        }
    }
}
