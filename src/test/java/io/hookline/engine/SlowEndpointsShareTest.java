package io.hookline.engine;

import io.hookline.common.Ids;
import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Receiver.Answer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark's slow-endpoint case at its scale, on real receivers: 20 webhooks with a backlog each, large enough
 * that the replica's 256 slots saturate, and 2 of them stop answering. The 18 healthy ones must all be delivered while
 * the 2 slow ones have not answered a single request: slots held by a slow endpoint are slots the healthy ones do not
 * get, so a slow endpoint must hold no more than its share. Counted, not timed: the slow receivers hold every request
 * until the test ends (well within the profile's 30 s timeout), so the healthy deliveries can only finish in the
 * slots the slow ones leave.
 * <p>
 * The endpoints first drain a backlog while all fast, as in the benchmark (its all-fast run comes first), so the two
 * that turn slow start from a grown limit and a response time of a few milliseconds; then their backlog is due first.
 * With the adaptive limits of 1e97d22 (reverted in 9f17fe3) this fails: those two lanes, judging from their last
 * answers, kept taking claims (up to {@code max-in-flight} each) that could not start until their first slow answer,
 * and held all 256 slots, so no healthy delivery was claimed. Now a lane that has not answered for 250 ms takes
 * nothing more, gives back what it cannot start within the keep time at its silence so far, and once the healthy
 * lanes hold claims, everything waiting beyond its share ({@code max-in-flight / 20}).
 */
@QuarkusTest
@TestProfile(AdaptiveConcurrencyTest.ProductionLease.class)
@WithTestResource(OidcWiremockTestResource.class)
class SlowEndpointsShareTest {
    private static final int HOOKS = 20;
    private static final int SLOW = 2;
    private static final int PER_HOOK = 200;

    final Api api = Api.newTenant();

    /**
     * {@code perHook} deliveries per webhook, due in round-robin order over the webhooks (as the benchmark loads), the
     * first {@code minutesAgo} minutes ago and each next one a microsecond later.
     */
    private void backlog(List<String> webhooks, int perHook, int minutesAgo) {
        String tag = Ids.event().substring(4);
        int n = perHook * webhooks.size();
        Db.update(
                """
                WITH e AS (
                    INSERT INTO event (id, tenant, type, body, created_at)
                    SELECT 'evt_' || ? || '_' || lpad(g::text, 6, '0'), ?, 'a.b',
                           convert_to('{"meta":{"event_id":"evt_' || ? || '_' || g || '","event_type":"a.b"},'
                                      || '"data":{"i":' || g || '}}', 'UTF8'), now()
                    FROM generate_series(0, ? - 1) g
                    RETURNING id
                ), numbered AS (
                    SELECT id, substr(id, length(id) - 5)::int AS g FROM e
                )
                INSERT INTO delivery (id, event_id, webhook_id, tenant, status, next_attempt_at, created_at)
                SELECT 'dlv_' || substr(id, 5), id, (?::text[])[1 + g % ?], ?, 'pending',
                       now() - ? * interval '1 minute' + g * interval '1 microsecond', now()
                FROM numbered
                """, tag, api.tenant, tag, n, webhooks.toArray(new String[0]), webhooks.size(), api.tenant, minutesAgo);
    }

    private static long withStatus(List<String> webhooks, String status) {
        return Db.count(
                "SELECT count(*) FROM delivery WHERE webhook_id = ANY(?::text[]) AND status = ?",
                webhooks.toArray(new String[0]),
                status);
    }

    @Test
    void healthy_endpoints_are_all_delivered_while_two_slow_ones_hold_their_requests() {
        List<Receiver> receivers = new ArrayList<>();
        List<String> hooks = new ArrayList<>();
        try {
            for (int i = 0; i < HOOKS; i++) {
                Receiver r = Receiver.start();
                receivers.add(r);
                hooks.add(api.createWebhook(r.url()));
            }
            List<String> slow = hooks.subList(0, SLOW);
            List<String> healthy = hooks.subList(SLOW, HOOKS);

            // all fast first: every lane learns a fast endpoint and grows its limit
            backlog(hooks, PER_HOOK / 2, 0);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> withStatus(hooks, "succeeded") == (long) HOOKS * PER_HOOK / 2);

            // then 2 of them hold every request until the test lets go
            for (int i = 0; i < SLOW; i++) {
                receivers.get(i).answering(n -> Answer.status(200).hold(25_000));
            }
            long healthyBefore = withStatus(healthy, "succeeded");
            // the slow ones' backlog is due first: the claims reach the healthy ones' deliveries only past it
            backlog(slow, PER_HOOK, 2);
            backlog(healthy, PER_HOOK, 1);
            long expected = healthyBefore + (long) (HOOKS - SLOW) * PER_HOOK;
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertEquals(
                            expected,
                            withStatus(healthy, "succeeded"),
                            "healthy deliveries succeeded; the slow webhooks hold " + withStatus(slow, "in_flight")
                                    + " claims"));

            // the slow ones have answered nothing yet, and most of their backlog still waits in the queue
            long slowDone = withStatus(slow, "succeeded") - (long) SLOW * PER_HOOK / 2;
            assertEquals(0, slowDone, "the slow receivers answered before the healthy ones were through");
            long slowPending = withStatus(slow, "pending");
            assertTrue(slowPending > 0, "the slow webhooks' backlog is still queued: " + slowPending);
            for (int i = SLOW; i < HOOKS; i++) {
                Set<String> ids = new HashSet<>();
                receivers.get(i).requests().forEach(r -> ids.add(r.header("X-Hookline-Delivery")));
                assertEquals(receivers.get(i).count(), ids.size(), "a delivery was sent twice");
                assertEquals(PER_HOOK + PER_HOOK / 2, ids.size());
            }
        } finally {
            // answers what the slow receivers hold; a revocation waits for the requests in flight
            receivers.forEach(Receiver::close);
            for (String id : hooks) {
                api.request().delete("/v1/webhooks/" + id);
            }
        }
    }
}
