package io.hookline.engine;

import io.hookline.common.Ids;
import io.hookline.config.DeliveryLimits;
import io.hookline.config.HooklineConfig;
import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Receiver.Answer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each endpoint's adaptive concurrency limit, end to end against real local receivers: a fast endpoint drains its
 * backlog without claims going back and forth, a webhook's own maxConcurrency is never exceeded, and a 429 with
 * Retry-After pauses the endpoint.
 */
@QuarkusTest
@TestProfile(AdaptiveConcurrencyTest.ProductionLease.class)
@WithTestResource(OidcWiremockTestResource.class)
class AdaptiveConcurrencyTest {
    /**
     * The production lease margin (30 s) instead of the test profile's 3 s: a claim kept at hand may wait half the
     * margin, and with 1.5 s a shared, busy test machine (a local receiver answering in hundreds of milliseconds) makes
     * lanes give back claims that production would keep. A 30 s request timeout instead of 2 s: {@link
     * SlowEndpointsShareTest}'s slow receivers hold their requests for up to 25 s without timing out.
     */
    public static class ProductionLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hookline.dispatcher.lease-margin", "30s", "hookline.delivery.timeout", "30s");
        }
    }

    private static final Logger LOG = Logger.getLogger(AdaptiveConcurrencyTest.class);

    @Inject
    DeliveryMetrics metrics;

    @Inject
    Dispatcher dispatcher;

    @Inject
    HooklineConfig config;

    @Inject
    MeterRegistry registry;

    final Api api = Api.newTenant();
    final Receiver receiver = Receiver.start();

    @AfterEach
    void stop() {
        receiver.close();
    }

    /**
     * Queues {@code n} deliveries to one webhook, due now, in one statement: the dispatcher finds them all at once at
     * its next poll, as it finds a backlog after an outage.
     */
    private void backlog(String webhookId, int n) {
        String tag = Ids.event().substring(4);
        Db.update("""
                WITH e AS (
                    INSERT INTO event (id, tenant, type, body, created_at)
                    SELECT 'evt_' || ? || '_' || g, ?, 'a.b',
                           convert_to('{"meta":{"event_id":"evt_' || ? || '_' || g || '","event_type":"a.b"},'
                                      || '"data":{"i":' || g || '}}', 'UTF8'), now()
                    FROM generate_series(1, ?) g
                    RETURNING id
                )
                INSERT INTO delivery (id, event_id, webhook_id, tenant, status, next_attempt_at, created_at)
                SELECT 'dlv_' || substr(e.id, 5), e.id, ?, ?, 'pending', now(), now() FROM e
                """, tag, api.tenant, tag, n, webhookId, api.tenant);
    }

    private static long succeeded(String webhookId) {
        return Db.count("SELECT count(*) FROM delivery WHERE webhook_id = ? AND status = 'succeeded'", webhookId);
    }

    private double released() {
        double sum = 0;
        for (DeliveryMetrics.Release r : DeliveryMetrics.Release.values()) {
            if (r != DeliveryMetrics.Release.STOPPING) {
                sum += metrics.releasedCount(r);
            }
        }
        return sum;
    }

    private String createWebhook(String url, Integer maxConcurrency) {
        return api.request()
                .body("{\"url\":\"" + url + "\",\"maxConcurrency\":" + maxConcurrency + "}")
                .post("/v1/webhooks")
                .then()
                .statusCode(201)
                .body("maxConcurrency", equalTo(maxConcurrency))
                .extract()
                .path("id");
    }

    @Test
    void one_fast_endpoint_drains_a_backlog_with_next_to_no_claims_given_back() {
        int n = 2000;
        String webhook = createWebhook(receiver.url(), null);
        double releasedBefore = released();
        long start = System.nanoTime();
        backlog(webhook, n);
        await().atMost(Duration.ofSeconds(60)).until(() -> succeeded(webhook) == n);
        double seconds = (System.nanoTime() - start) / 1e9;
        double released = released() - releasedBefore;
        DeliveryMetrics.Lanes lanes = dispatcher.lanes();
        LOG.infof(
                "one endpoint: %d deliveries in %.2f s (%.0f/s, poll wait included), %.0f claims given back (busy %.0f,"
                        + " paused %.0f, lease %.0f in all), limits %s",
                n,
                seconds,
                n / seconds,
                released,
                metrics.releasedCount(DeliveryMetrics.Release.BUSY),
                metrics.releasedCount(DeliveryMetrics.Release.PAUSED),
                metrics.releasedCount(DeliveryMetrics.Release.LEASE),
                Arrays.toString(lanes.sortedLimits()));
        Set<String> ids = new HashSet<>();
        receiver.requests().forEach(r -> ids.add(r.header("X-Hookline-Delivery")));
        assertEquals(n, ids.size());
        assertEquals(n, receiver.count(), "a delivery was sent twice");
        // each claim asks for no more than the lane can start soon (the first one, before any answer: its initial
        // limit and as many again), so claims are not handed back; a few may, when the endpoint slows down a lot
        int initial = DeliveryLimits.initial(config.delivery());
        assertTrue(released <= n / 100.0, released + " claims given back in a drain of " + n);
        assertTrue(lanes.stat(1) > initial, "a fast endpoint's limit grew: " + lanes.stat(1));
    }

    @Test
    void a_webhooks_max_concurrency_is_never_exceeded() {
        receiver.answering(n -> Answer.status(200).hold(30));
        String webhook = createWebhook(receiver.url(), 3);
        backlog(webhook, 60);
        await().atMost(Duration.ofSeconds(30)).until(() -> succeeded(webhook) == 60);
        assertEquals(3, receiver.mostAtOnce(), "the cap is used and never exceeded");
    }

    @Test
    void a_429_with_retry_after_pauses_the_endpoint_until_then() {
        receiver.answering(n -> n == 0 ? Answer.status(429).header("Retry-After", "2") : Answer.status(200));
        String webhook = createWebhook(receiver.url(), 1);
        double throttledBefore = cuts("throttled");
        backlog(webhook, 10);
        await().atMost(Duration.ofSeconds(20)).until(() -> succeeded(webhook) == 10);
        List<Receiver.Request> requests = receiver.requests();
        assertEquals(11, requests.size(), "ten deliveries, one of them twice (after its 429)");
        long gapMillis = (requests.get(1).receivedAtNanos() - requests.get(0).receivedAtNanos()) / 1_000_000;
        assertTrue(gapMillis >= 2000, "the next request came " + gapMillis + " ms after the 429, not after 2 s");
        assertEquals(throttledBefore + 1, cuts("throttled"));
    }

    private double cuts(String reason) {
        Counter counter = registry.find("hookline.endpoint.limit.cuts")
                .tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void max_concurrency_is_checked_set_and_cleared_through_the_api() {
        int ceiling = DeliveryLimits.ceiling(config.delivery());
        for (String bad : List.of("0", "-1", Integer.toString(ceiling + 1), "\"many\"", "1.5")) {
            api.request()
                    .body("{\"url\":\"" + receiver.url() + "\",\"maxConcurrency\":" + bad + "}")
                    .post("/v1/webhooks")
                    .then()
                    .statusCode(422);
        }
        assertEquals(0, Db.count("SELECT count(*) FROM webhook WHERE tenant = ?", api.tenant));
        String id = createWebhook(receiver.url(), ceiling);
        for (String bad : List.of("0", Integer.toString(ceiling + 1), "\"many\"", "1.5", "true")) {
            api.request()
                    .body("{\"maxConcurrency\":" + bad + "}")
                    .patch("/v1/webhooks/" + id)
                    .then()
                    .statusCode(422)
                    .body("errors[0].field", equalTo("maxConcurrency"));
        }
        api.request()
                .body("{\"maxConcurrency\":4}")
                .patch("/v1/webhooks/" + id)
                .then()
                .statusCode(200)
                .body("maxConcurrency", equalTo(4));
        api.request()
                .body("{\"maxConcurrency\":null}")
                .patch("/v1/webhooks/" + id)
                .then()
                .statusCode(200)
                .body("maxConcurrency", nullValue());
        api.request().get("/v1/webhooks/" + id).then().statusCode(200).body("maxConcurrency", nullValue());
    }
}
