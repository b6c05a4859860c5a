package io.hookline.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.net.Webhook;
import io.agroal.api.AgroalDataSource;
import io.hookline.common.Ids;
import io.hookline.service.IngestPublisher;
import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Verify;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Provider webhooks in, the tenant's events out: requests signed with the providers' own libraries (stripe-java, the
 * Standard Webhooks reference library) or with vectors computed outside Java, posted to a real service on a real
 * PostgreSQL, and the resulting events delivered to a real local receiver.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class IngestFlowTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String STRIPE_SECRET = "whsec_ingest_flow_9f8Qx2Lr0Tn4YbVw7KcE1uHs";
    static final Duration DEADLINE = Duration.ofSeconds(15);

    final Api api = Api.newTenant();

    @Inject
    IngestPublisher publisher;

    @Inject
    AgroalDataSource dataSource;

    String[] source(String json) {
        JsonPath created = api.request()
                .body(json)
                .post("/v1/sources")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new String[] {
            created.getString("id"), URI.create(created.getString("ingestUrl")).getPath()
        };
    }

    static String stripeEvent(String id, String type, String object) {
        return "{\"id\":\"" + id + "\",\"object\":\"event\",\"api_version\":\"2024-06-20\",\"created\":1733000000,"
                + "\"livemode\":false,\"type\":\"" + type + "\",\"data\":{\"object\":" + object + "}}";
    }

    /** The header Stripe sends, made with stripe-java's own helper. */
    static String stripeSignature(String secret, String body) throws Exception {
        long t = Instant.now().getEpochSecond();
        return "t=" + t + ",v1=" + Webhook.Util.computeHmacSha256(secret, t + "." + body);
    }

    /** As a provider posts: no bearer token, its own content type. */
    static RequestSpecification provider() {
        return given().contentType("application/json; charset=utf-8");
    }

    static long rejected(String reason) {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile(
                        "(?m)^hookline_ingest_rejected_total\\{[^}]*reason=\"" + reason + "\"[^}]*} ([0-9.E+]+)$")
                .matcher(metrics);
        assertTrue(m.find(), "no hookline_ingest_rejected_total{reason=" + reason + "}");
        return (long) Double.parseDouble(m.group(1));
    }

    long stored() {
        return Db.count("SELECT count(*) FROM source_request WHERE tenant = ?", api.tenant)
                + Db.count("SELECT count(*) FROM event WHERE tenant = ?", api.tenant);
    }

    @Test
    void a_stripe_event_is_verified_stored_and_delivered_normalised_and_a_retry_publishes_nothing_new()
            throws Exception {
        try (Receiver receiver = Receiver.start()) {
            String[] webhook = api.createWebhookWithSecret(receiver.url(), "subscription.*");
            String[] source = source("{\"provider\":\"stripe\",\"secret\":\"" + STRIPE_SECRET + "\"}");
            String body = stripeEvent(
                    "evt_1Flow" + System.nanoTime(),
                    "customer.subscription.created",
                    "{\"id\":\"sub_1Q\",\"object\":\"subscription\",\"status\":\"active\",\"customer\":\"cus_Q1\","
                            + "\"currency\":\"eur\",\"items\":{\"data\":[]}}");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

            String requestId = provider()
                    .header("Stripe-Signature", stripeSignature(STRIPE_SECRET, body))
                    .body(bytes)
                    .post(source[1])
                    .then()
                    .statusCode(202)
                    .body("duplicate", equalTo(false))
                    .extract()
                    .path("requestId");

            await().atMost(DEADLINE).until(() -> receiver.count() == 1);
            Receiver.Request delivered = receiver.requests().get(0);
            assertEquals("subscription.created", delivered.header("X-Hookline-Event"));
            assertTrue(Verify.hex(webhook[1], delivered.body(), delivered.header("X-Hookline-Signature")));
            assertTrue(Verify.standardWebhooks(webhook[1], delivered));
            JsonNode envelope = JSON.readTree(delivered.body());
            assertEquals("subscription.created", envelope.at("/meta/event_type").asText());
            JsonNode expected = JSON.readTree("{\"provider\":\"stripe\",\"providerEventId\":\""
                    + JSON.readTree(body).get("id").asText() + "\",\"providerEventType\":"
                    + "\"customer.subscription.created\",\"sourceId\":\"" + source[0] + "\",\"id\":\"sub_1Q\","
                    + "\"object\":\"subscription\",\"status\":\"active\",\"customer\":\"cus_Q1\",\"amount\":null,"
                    + "\"currency\":\"eur\"}");
            assertEquals(expected, envelope.get("data"));

            String eventId = envelope.at("/meta/event_id").asText();
            await().atMost(DEADLINE)
                    .until(() -> "published"
                            .equals(api.request()
                                    .get("/v1/sources/" + source[0] + "/requests")
                                    .then()
                                    .statusCode(200)
                                    .extract()
                                    .path("data[0].status")));
            api.request()
                    .get("/v1/sources/" + source[0] + "/requests")
                    .then()
                    .body("data.size()", equalTo(1))
                    .body("data[0].id", equalTo(requestId))
                    .body("data[0].verified", equalTo(true))
                    .body("data[0].providerEventType", equalTo("customer.subscription.created"))
                    .body("data[0].eventId", equalTo(eventId))
                    .body("data[0].eventType", equalTo("subscription.created"));

            // Stripe retries the same evt_ (a new signature, a later timestamp): answered 2xx, nothing new published
            provider()
                    .header("Stripe-Signature", stripeSignature(STRIPE_SECRET, body))
                    .body(bytes)
                    .post(source[1])
                    .then()
                    .statusCode(200)
                    .body("duplicate", equalTo(true))
                    .body("requestId", equalTo(requestId));
            publisher.publishPending();
            assertEquals(1, Db.count("SELECT count(*) FROM event WHERE tenant = ?", api.tenant));
            assertEquals(1, Db.count("SELECT count(*) FROM delivery WHERE tenant = ?", api.tenant));
            assertEquals(1, Db.count("SELECT duplicates FROM source_request WHERE id = ?", requestId));
            assertEquals(1, receiver.count());
        }
    }

    @Test
    void an_unmapped_stripe_event_becomes_stripe_type_with_the_original_object_byte_for_byte() throws Exception {
        try (Receiver receiver = Receiver.start()) {
            api.createWebhook(receiver.url());
            String[] source = source("{\"provider\":\"stripe\",\"secret\":\"" + STRIPE_SECRET + "\"}");
            String object = "{\"id\":\"dp_1\", \"amount\": 1e400, \"rate\":1.00000000000000000000001,"
                    + "\"reason\":\"fraudulent\",\"note\":\"Zoë — 東京\"}";
            String body = stripeEvent("evt_1Unmapped" + System.nanoTime(), "charge.dispute.created", object);
            provider()
                    .header("Stripe-Signature", stripeSignature(STRIPE_SECRET, body))
                    .body(body.getBytes(StandardCharsets.UTF_8))
                    .post(source[1])
                    .then()
                    .statusCode(202);
            await().atMost(DEADLINE).until(() -> receiver.count() == 1);
            Receiver.Request delivered = receiver.requests().get(0);
            assertEquals("stripe.charge.dispute.created", delivered.header("X-Hookline-Event"));
            String text = delivered.text();
            assertTrue(text.endsWith(",\"data\":" + object + "}"), text);
        }
    }

    @Test
    void a_refused_request_stores_nothing_answers_a_problem_and_is_counted_by_reason() throws Exception {
        String[] source = source("{\"provider\":\"stripe\",\"secret\":\"" + STRIPE_SECRET + "\"}");
        String body = stripeEvent("evt_1Refused" + System.nanoTime(), "charge.succeeded", "{\"id\":\"ch_1\"}");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long t = Instant.now().getEpochSecond();
        Map<String, String> headers = Map.of(
                "bad_signature",
                stripeSignature("whsec_someone_else_s_secret_123", body),
                "stale_timestamp",
                "t=" + (t - 301) + ",v1=" + Webhook.Util.computeHmacSha256(STRIPE_SECRET, (t - 301) + "." + body),
                "missing_signature",
                "t=" + t + ",v0=" + Webhook.Util.computeHmacSha256(STRIPE_SECRET, t + "." + body));
        for (Map.Entry<String, String> c : headers.entrySet()) {
            long before = rejected(c.getKey());
            provider()
                    .header("Stripe-Signature", c.getValue())
                    .body(bytes)
                    .post(source[1])
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://hookline.dev/problems/signature-rejected"));
            assertEquals(before + 1, rejected(c.getKey()), c.getKey());
        }
        long unknown = rejected("unknown_source");
        provider()
                .header("Stripe-Signature", stripeSignature(STRIPE_SECRET, body))
                .body(bytes)
                .post("/ingest/" + Ids.source())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        assertEquals(unknown + 1, rejected("unknown_source"));

        long tooLarge = rejected("too_large");
        String big = stripeEvent("evt_1Big", "charge.succeeded", "{\"pad\":\"" + "x".repeat(300_000) + "\"}");
        provider()
                .header("Stripe-Signature", stripeSignature(STRIPE_SECRET, big))
                .body(big.getBytes(StandardCharsets.UTF_8))
                .post(source[1])
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        String huge = "x".repeat(1_100_000);
        provider()
                .body(huge.getBytes(StandardCharsets.UTF_8))
                .post(source[1])
                .then()
                .statusCode(413);
        assertEquals(tooLarge + 2, rejected("too_large"));

        long malformed = rejected("malformed");
        String notJson = "this is not json";
        provider()
                .header("Stripe-Signature", stripeSignature(STRIPE_SECRET, notJson))
                .body(notJson.getBytes(StandardCharsets.UTF_8))
                .post(source[1])
                .then()
                .statusCode(400)
                .body("type", equalTo("https://hookline.dev/problems/malformed-webhook"));
        assertEquals(malformed + 1, rejected("malformed"));

        assertEquals(0, stored(), "a refused request left a row");
        // the source remembers the first refusal of the minute, for its owner to see
        api.request()
                .get("/v1/sources/" + source[0])
                .then()
                .statusCode(200)
                .body("lastRejection", notNullValue())
                .body("lastRejectedAt", notNullValue());
    }

    @Test
    void github_standard_webhooks_and_hmac_requests_become_provider_typed_events_with_the_body_as_data()
            throws Exception {
        JsonNode vectors = JSON.readTree(getClass().getResourceAsStream("/ingest/vectors.json"));
        try (Receiver receiver = Receiver.start()) {
            api.createWebhook(receiver.url());

            // GitHub: the vector computed with node and openssl
            JsonNode gh = vectors.get("github").get(0);
            String[] github = source(
                    "{\"provider\":\"github\",\"secret\":\"" + gh.get("secret").asText() + "\"}");
            for (int status : new int[] {202, 200}) {
                provider()
                        .header("X-Hub-Signature-256", gh.get("signature256").asText())
                        .header("X-GitHub-Delivery", gh.get("delivery").asText())
                        .header("X-GitHub-Event", gh.get("event").asText())
                        .body(gh.get("body").asText().getBytes(StandardCharsets.UTF_8))
                        .post(github[1])
                        .then()
                        .statusCode(status);
            }

            // Standard Webhooks: signed by the reference library, with a mapping of the source's own
            String swSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
            String[] sw = source("{\"provider\":\"standard-webhooks\",\"secret\":\"" + swSecret
                    + "\",\"typeMapping\":{\"invoice.paid\":\"transaction.created\"}}");
            String swBody =
                    "{\"type\":\"invoice.paid\",\"timestamp\":\"2026-11-30T10:15:30Z\",\"data\":{\"amount\":4200}}";
            long now = Instant.now().getEpochSecond();
            String msgId = "msg_" + System.nanoTime();
            provider()
                    .header("webhook-id", msgId)
                    .header("webhook-timestamp", Long.toString(now))
                    .header("webhook-signature", StandardWebhooksSigner.sign(swSecret, msgId, now, swBody))
                    .body(swBody.getBytes(StandardCharsets.UTF_8))
                    .post(sw[1])
                    .then()
                    .statusCode(202);

            // hmac-sha256: the vector computed with node and openssl; a bearer token, even a bogus one, is ignored
            JsonNode hm = vectors.get("hmacSha256").get(0);
            String[] hmac = source("{\"provider\":\"hmac-sha256\",\"secret\":\""
                    + hm.get("secret").asText() + "\",\"signatureHeader\":\""
                    + hm.get("header").asText() + "\"}");
            provider()
                    .header("Authorization", "Bearer not-a-token")
                    .header(hm.get("header").asText(), hm.get("signature").asText())
                    .body(hm.get("body").asText().getBytes(StandardCharsets.UTF_8))
                    .post(hmac[1])
                    .then()
                    .statusCode(202);

            await().atMost(DEADLINE).until(() -> receiver.count() == 3);
            Map<String, Receiver.Request> byType = new TreeMap<>();
            receiver.requests().forEach(r -> byType.put(r.header("X-Hookline-Event"), r));
            assertEquals(Set.of("github.push", "transaction.created", "hmac-sha256.check.down"), byType.keySet());
            assertTrue(byType.get("github.push")
                    .text()
                    .endsWith(",\"data\":" + gh.get("body").asText() + "}"));
            assertTrue(byType.get("transaction.created").text().endsWith(",\"data\":" + swBody + "}"));
            assertTrue(byType.get("hmac-sha256.check.down")
                    .text()
                    .endsWith(",\"data\":" + hm.get("body").asText() + "}"));
        }
    }

    @Test
    void the_answer_does_not_wait_for_the_publish() throws Exception {
        String[] source = source("{\"provider\":\"stripe\",\"secret\":\"" + STRIPE_SECRET + "\"}");
        String body = stripeEvent("evt_1Fast" + System.nanoTime(), "invoice.paid", "{\"id\":\"in_1\"}");
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                // nobody can insert an event until this transaction ends: a publish would wait here
                s.execute("LOCK TABLE event IN SHARE ROW EXCLUSIVE MODE");
            }
            long started = System.nanoTime();
            Response answer = provider()
                    .header("Stripe-Signature", stripeSignature(STRIPE_SECRET, body))
                    .body(body.getBytes(StandardCharsets.UTF_8))
                    .post(source[1]);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(202, answer.statusCode());
            assertTrue(millis < 2000, "answered in " + millis + " ms while the publish was blocked");
            assertEquals(
                    "pending",
                    Db.query(
                                    "SELECT status FROM source_request WHERE id = ?",
                                    answer.path("requestId").toString())
                            .get(0)
                            .get(0));
            blocker.rollback();
        }
        await().atMost(DEADLINE)
                .until(() -> Db.count(
                                "SELECT count(*) FROM source_request WHERE source_id = ? AND status = 'published'",
                                source[0])
                        == 1);
    }

    @Test
    void a_request_stored_but_never_published_is_published_by_the_sweep_once() throws Exception {
        String[] source = source("{\"provider\":\"stripe\",\"secret\":\"" + STRIPE_SECRET + "\"}");
        // what a replica that died right after answering leaves behind
        String evt = "evt_1Crash" + System.nanoTime();
        String requestId = Ids.sourceRequest();
        Db.update(
                "INSERT INTO source_request (id, source_id, tenant, received_at, provider_event_id, "
                        + "provider_event_type, body) VALUES (?, ?, ?, now(), ?, 'charge.refunded', ?)",
                requestId,
                source[0],
                api.tenant,
                evt,
                stripeEvent(evt, "charge.refunded", "{\"id\":\"ch_9\",\"amount\":500}")
                        .getBytes(StandardCharsets.UTF_8));
        await().atMost(DEADLINE)
                .until(() ->
                        Db.count("SELECT count(*) FROM source_request WHERE id = ? AND status = 'published'", requestId)
                                == 1);
        String eventId = (String) Db.query("SELECT event_id FROM source_request WHERE id = ?", requestId)
                .get(0)
                .get(0);
        assertEquals(
                "transaction.updated",
                Db.query("SELECT type FROM event WHERE id = ?", eventId).get(0).get(0));
        assertEquals(IngestPublisher.Outcome.NOT_PENDING, publisher.publish(requestId));

        // two replicas publishing the same row (pending again, as if the first never marked it): still one event
        Db.update(
                "UPDATE source_request SET status = 'pending', event_id = NULL, event_type = NULL, published_at = NULL,"
                        + " body = ? WHERE id = ?",
                "{}".getBytes(StandardCharsets.UTF_8),
                requestId);
        assertEquals(IngestPublisher.Outcome.PUBLISHED, publisher.publish(requestId));
        assertEquals(
                eventId,
                Db.query("SELECT event_id FROM source_request WHERE id = ?", requestId)
                        .get(0)
                        .get(0));
        assertEquals(1, Db.count("SELECT count(*) FROM event WHERE tenant = ?", api.tenant));
        assertEquals(1, Db.count("SELECT count(*) FROM source_request WHERE id = ? AND body IS NULL", requestId));
    }

    @Test
    void a_deleted_source_refuses_new_requests() throws Exception {
        String[] source = source("{\"provider\":\"stripe\",\"secret\":\"" + STRIPE_SECRET + "\"}");
        api.request().delete("/v1/sources/" + source[0]).then().statusCode(204);
        String body = stripeEvent("evt_1Deleted", "charge.succeeded", "{}");
        provider()
                .header("Stripe-Signature", stripeSignature(STRIPE_SECRET, body))
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post(source[1])
                .then()
                .statusCode(404);
        assertEquals(0, stored());
    }
}
