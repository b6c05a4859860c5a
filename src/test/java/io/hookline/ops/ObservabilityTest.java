package io.hookline.ops;

import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an operator sees: health, metrics and logs. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class ObservabilityTest {

    @Test
    void health_probes_report_the_database_the_schema_and_the_dispatcher() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("hookline"))
                .body("checks.find { it.name == 'hookline' }.data.migrations", equalTo("applied"))
                .body("checks.find { it.name == 'hookline' }.data.dispatcher", equalTo("running"))
                .body("checks.find { it.name == 'database' }.data.api", equalTo("UP"))
                .body("checks.find { it.name == 'database' }.data.queue", equalTo("UP"));
    }

    @Test
    void readiness_shows_anonymous_callers_no_database_host_or_port() {
        URI database = URI.create(ConfigProvider.getConfig()
                .getValue("quarkus.datasource.jdbc.url", String.class)
                .substring("jdbc:".length()));
        String ready =
                given().get("/q/health/ready").then().statusCode(200).extract().asString();
        for (String secret : List.of(database.getHost(), ":" + database.getPort(), "jdbc:", "localhost", "127.0.0.1")) {
            assertFalse(ready.contains(secret), "readiness shows " + secret + ": " + ready);
        }
    }

    @Test
    void metrics_count_deliveries_attempts_lag_and_queue_depth_without_unbounded_labels() {
        try (Receiver receiver = Receiver.start()) {
            Api api = Api.newTenant();
            api.createWebhookWithSecret(receiver.url());
            api.publish("a.b", "{}");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> given().get("/q/metrics")
                            .asString()
                            .contains("hookline_deliveries_total{outcome=\"succeeded\"}"));
            String metrics =
                    given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(
                    metrics.contains(
                            "hookline_delivery_attempt_duration_seconds_bucket{error=\"none\",result=\"success\""),
                    metrics);
            String ours = String.join(
                    "\n", metrics.lines().filter(l -> l.startsWith("hookline_")).toList());
            for (String name : List.of(
                    "hookline_delivery_lag_seconds_count",
                    "hookline_queue_depth{status=\"pending\"}",
                    "hookline_queue_depth{status=\"due\"}",
                    "hookline_queue_depth{status=\"in_flight\"}",
                    "hookline_sends_in_flight",
                    "hookline_retries_scheduled_total")) {
                assertTrue(metrics.contains(name), name + " missing from\n" + ours);
            }
            assertFalse(metrics.contains(api.tenant), "a tenant id became a label");
            assertFalse(metrics.contains(receiver.url()), "a webhook URL became a label");
        }
    }

    @Test
    void a_full_flow_logs_no_secret_no_token_and_no_authorization_header() {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record instanceof org.jboss.logmanager.ExtLogRecord ext
                        ? ext.getFormattedMessage()
                        : record.getMessage();
                lines.add(record.getLoggerName() + " " + message
                        + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger root = Logger.getLogger("");
        Logger hookline = Logger.getLogger("io.hookline");
        Level before = hookline.getLevel();
        root.addHandler(capture);
        hookline.setLevel(Level.FINE);
        String token = Tokens.forTenant("log-tenant");
        try (Receiver receiver = Receiver.start()) {
            receiver.answering(n -> n == 0 ? Receiver.Answer.status(500) : Receiver.Answer.status(410));
            var created = given().auth()
                    .oauth2(token)
                    .contentType("application/json")
                    .body("{\"url\":\"" + receiver.url() + "\"}")
                    .post("/v1/webhooks")
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath();
            String id = created.getString("id");
            String secret = created.getString("secret");
            String rotated = given().auth()
                    .oauth2(token)
                    .contentType("application/json")
                    .body("{\"graceSeconds\":60}")
                    .post("/v1/webhooks/" + id + "/rotate")
                    .then()
                    .extract()
                    .path("secret");
            given().auth()
                    .oauth2(token)
                    .contentType("application/json")
                    .body("{\"type\":\"a.b\",\"data\":{}}")
                    .post("/v1/events")
                    .then()
                    .statusCode(202);
            await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().anyMatch(l -> l.contains("disabled")));
            given().auth()
                    .oauth2("forged." + token.substring(token.indexOf('.') + 1))
                    .get("/v1/webhooks")
                    .then()
                    .statusCode(401);

            String all = String.join("\n", lines);
            assertTrue(all.contains("attempt 1"), "the capture saw no debug line of an attempt:\n" + all);
            for (String s : List.of(
                    secret,
                    secret.substring(6),
                    rotated,
                    rotated.substring(6),
                    token,
                    token.substring(token.lastIndexOf('.') + 1),
                    "Bearer ")) {
                assertFalse(all.contains(s), "the log contains a secret or token: " + s);
            }
        } finally {
            hookline.setLevel(before);
            root.removeHandler(capture);
        }
    }

    @Test
    void retention_can_be_run_on_demand_by_an_admin_and_deletes_only_old_finished_rows() {
        given().post("/v1/admin/retention").then().statusCode(401);
        given().auth()
                .oauth2(Tokens.forTenant("t"))
                .post("/v1/admin/retention")
                .then()
                .statusCode(403);
        Api api = Api.newTenant();
        String fresh = api.publish("a.b", "{}");
        String old = api.publish("a.b", "{}");
        Db.update("UPDATE event SET created_at = now() - interval '400 days' WHERE id = ?", old);
        given().auth()
                .oauth2(Tokens.withGroups("t", "hookline-admin"))
                .post("/v1/admin/retention")
                .then()
                .statusCode(200)
                .body("ran", equalTo(true))
                .body("budgetSpent", equalTo(false));
        // the old event had no delivery (no webhook matched): it is gone; the fresh one stays
        org.junit.jupiter.api.Assertions.assertEquals(
                0L, io.hookline.testsupport.Db.count("SELECT count(*) FROM event WHERE id = ?", old));
        org.junit.jupiter.api.Assertions.assertEquals(
                1L, io.hookline.testsupport.Db.count("SELECT count(*) FROM event WHERE id = ?", fresh));
    }

    @Test
    void the_admin_dispatch_needs_the_admin_role() {
        given().post("/v1/admin/dispatch").then().statusCode(401);
        given().auth()
                .oauth2(Tokens.forTenant("t"))
                .post("/v1/admin/dispatch")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(Tokens.withGroups("t", "hookline-admin"))
                .queryParam("seconds", 0)
                .post("/v1/admin/dispatch")
                .then()
                .statusCode(422);
        given().auth()
                .oauth2(Tokens.withGroups("t", "hookline-admin"))
                .queryParam("seconds", 2)
                .post("/v1/admin/dispatch")
                .then()
                .statusCode(200)
                .body("queueEmpty", not(equalTo(null)));
    }
}
