package io.hookline.ops;

import io.agroal.api.AgroalDataSource;
import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.ProxiedDatabase;
import io.hookline.testsupport.Receiver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real outage: the TCP path to PostgreSQL is cut and restored under the running service. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
@WithTestResource(ProxiedDatabase.class)
class DatabaseOutageTest {
    static final int WORKERS = 6;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void readiness_goes_down_without_the_database_and_up_again_and_delivery_resumes() {
        given().get("/q/health/ready").then().statusCode(200);
        ProxiedDatabase.proxy.cut();
        Api api = Api.newTenant();
        try {
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> given().get("/q/health/ready").statusCode() == 503);
            // DOWN says which pool, never where the database is (the driver's message names host and port)
            String down = given().get("/q/health/ready")
                    .then()
                    .statusCode(503)
                    .body("checks.find { it.name == 'database' }.status", equalTo("DOWN"))
                    .extract()
                    .asString();
            for (String where : List.of("127.0.0.1", "localhost", String.valueOf(ProxiedDatabase.proxy.port()))) {
                assertFalse(down.contains(where), "readiness shows " + where + ": " + down);
            }
            given().get("/q/health/live").then().statusCode(200);
            // the API answers a clear, retryable error, not a hang and not a 500
            unavailable(api.request().get("/v1/webhooks"));
        } finally {
            ProxiedDatabase.proxy.start();
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        try (Receiver receiver = Receiver.start()) {
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                api.createWebhookWithSecret(receiver.url());
                return true;
            });
            api.publish("a.b", "{}");
            await().atMost(Duration.ofSeconds(5)).until(() -> receiver.count() >= 1);
        }
    }

    @Test
    void under_load_every_call_during_an_outage_is_2xx_or_503_with_retry_after_and_nothing_is_half_written()
            throws Exception {
        Api publisher = Api.newTenant();
        Api creator = Api.newTenant();
        try (Receiver receiver = Receiver.start()) {
            // two webhooks taking every type: every stored event must have exactly two deliveries
            publisher.createWebhookWithSecret(receiver.url());
            publisher.createWebhookWithSecret(receiver.url());
            Load load = new Load(publisher, creator);
            ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                int worker = i;
                workers.add(pool.submit(() -> load.run(worker)));
            }
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> load.succeeded.get() >= 30);
                ProxiedDatabase.proxy.cut();
                try {
                    await().atMost(Duration.ofSeconds(30)).until(() -> load.unavailable.get() >= 30);
                } finally {
                    ProxiedDatabase.proxy.start();
                }
                int before = load.succeeded.get();
                await().atMost(Duration.ofSeconds(30)).until(() -> load.succeeded.get() >= before + 30);
            } finally {
                load.stop.set(true);
                pool.shutdown();
                assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "the load did not stop");
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            assertTrue(load.unexpected.isEmpty(), load.statuses + " unexpected: " + load.unexpected);

            for (String id : load.accepted) {
                assertEquals(1, Db.count("select count(*) from event where id = ?", id), "accepted event " + id);
            }
            assertEquals(
                    0,
                    Db.count(
                            "select count(*) from event e where e.tenant = ? and "
                                    + "(select count(*) from delivery d where d.event_id = e.id) <> 2",
                            publisher.tenant),
                    "events without exactly one delivery per webhook");
            for (String id : load.created) {
                assertEquals(1, Db.count("select count(*) from webhook where id = ?", id), "created webhook " + id);
            }
            assertEquals(
                    0,
                    Db.count(
                            "select count(*) from webhook w where w.tenant = ? and not exists "
                                    + "(select 1 from webhook_secret s where s.webhook_id = w.id and s.expires_at is null)",
                            creator.tenant),
                    "webhooks without a current secret");
        }
    }

    @Test
    void a_request_that_cannot_get_a_connection_in_time_answers_503_with_retry_after() throws SQLException {
        Api api = Api.newTenant();
        List<Connection> held = new ArrayList<>();
        try {
            // take every pooled connection: the next acquisition waits out quarkus.datasource.jdbc.acquisition-timeout
            while (held.size() < 100) {
                try {
                    held.add(dataSource.getConnection());
                } catch (SQLException exhausted) {
                    break;
                }
            }
            unavailable(api.request().get("/v1/webhooks"));
            unavailable(api.request().body("{\"type\":\"a.b\",\"data\":{}}").post("/v1/events"));
            unavailable(api.request()
                    .body("{\"events\":[{\"type\":\"a.b\",\"data\":{}},{\"type\":\"c.d\",\"data\":{}}]}")
                    .post("/v1/events/batch"));
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        api.request().get("/v1/webhooks").then().statusCode(200);
        assertEquals(0, Db.count("select count(*) from event where tenant = ?", api.tenant));
    }

    private static void unavailable(Response answer) {
        answer.then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", endsWith("/unavailable"));
    }

    /** Publish, list and create in a loop, tallying every answer, until told to stop. */
    static final class Load {
        final Api publisher;
        final Api creator;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger succeeded = new AtomicInteger();
        final AtomicInteger unavailable = new AtomicInteger();
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
        final Queue<String> accepted = new ConcurrentLinkedQueue<>();
        final Queue<String> created = new ConcurrentLinkedQueue<>();

        Load(Api publisher, Api creator) {
            this.publisher = publisher;
            this.creator = creator;
        }

        void run(int worker) {
            for (int n = worker; !stop.get(); n++) {
                switch (n % 4) {
                    case 0 -> {
                        Response r = publisher
                                .request()
                                .header("Idempotency-Key", UUID.randomUUID().toString())
                                .body("{\"type\":\"load.test\",\"data\":{\"n\":" + n + "}}")
                                .post("/v1/events");
                        if (tally("publish", r, 202)) {
                            accepted.add(r.path("id"));
                        }
                    }
                    case 1 -> tally("list", publisher.request().get("/v1/webhooks"), 200);
                    case 2 -> {
                        // a batch is all written or not at all: each accepted event has its two deliveries
                        Response r = publisher
                                .request()
                                .body("{\"events\":[{\"type\":\"load.batch\",\"data\":1},"
                                        + "{\"type\":\"load.batch\",\"data\":2,\"id\":\"" + UUID.randomUUID() + "\"}]}")
                                .post("/v1/events/batch");
                        if (tally("batch", r, 200)) {
                            accepted.addAll(r.jsonPath().getList("results.id", String.class));
                        }
                    }
                    default -> {
                        Response r = creator.request()
                                .body("{\"url\":\"http://127.0.0.1:9/hook\"}")
                                .post("/v1/webhooks");
                        if (tally("create", r, 201)) {
                            created.add(r.path("id"));
                        }
                    }
                }
            }
        }

        /** @return true when the call succeeded */
        private boolean tally(String call, Response r, int ok) {
            int status = r.statusCode();
            statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            if (status == ok) {
                succeeded.incrementAndGet();
                return true;
            }
            if (status == 503
                    && r.header("Retry-After") != null
                    && r.contentType().startsWith("application/problem+json")) {
                unavailable.incrementAndGet();
            } else {
                unexpected.add(call + " answered " + status + " " + r.asString());
            }
            return false;
        }
    }
}
