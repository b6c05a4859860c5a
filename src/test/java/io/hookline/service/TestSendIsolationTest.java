package io.hookline.service;

import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Receiver.Answer;
import io.hookline.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tenant's flood of test sends to a slow receiver, on a replica whose worker pool is smaller than what one tenant
 * may have in progress: if a test send held a worker thread while the receiver takes its time, the pool would be
 * gone and every other call would wait behind the receiver. The receiver answers only when the test lets it, so
 * "the other tenant's calls finished first" is a fact checked, not a timing guessed.
 */
@QuarkusTest
@TestProfile(TestSendIsolationTest.SmallWorkerPool.class)
@WithTestResource(OidcWiremockTestResource.class)
class TestSendIsolationTest {
    static final int WORKER_THREADS = 8;
    /** More than the worker pool: held threads would show. */
    static final int PER_TENANT = 12;

    static final int PER_SERVER = 16;

    public static class SmallWorkerPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.thread-pool.max-threads", String.valueOf(WORKER_THREADS),
                    "hookline.test-send.max-concurrent-per-tenant", String.valueOf(PER_TENANT),
                    "hookline.test-send.max-concurrent", String.valueOf(PER_SERVER),
                    // the slow receiver answers when the test releases it, not at the suite's 2 s timeout
                    "hookline.delivery.timeout", "60s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    TestSendLimits limits;

    final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final CountDownLatch release = new CountDownLatch(1);
    final Receiver slow = Receiver.start().answering(n -> {
        awaitRelease();
        return Answer.status(200).body("late");
    });
    final Receiver fast = Receiver.start();

    @AfterEach
    void stop() {
        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> limits.inProgress() == 0);
        slow.close();
        fast.close();
    }

    @Test
    void a_flood_of_test_sends_to_a_slow_receiver_leaves_another_tenant_served_and_its_excess_gets_429() {
        String a = Tokens.forTenant(Tokens.newTenant());
        String b = Tokens.forTenant(Tokens.newTenant());
        String slowHook = createWebhook(a, slow.url());
        String fastHook = createWebhook(b, fast.url());

        List<CompletableFuture<HttpResponse<String>>> flood = testSends(a, slowHook, PER_TENANT + 8);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> slow.count() == PER_TENANT
                        && flood.stream().filter(CompletableFuture::isDone).count() == 8);
        List<CompletableFuture<HttpResponse<String>>> waiting =
                flood.stream().filter(f -> !f.isDone()).toList();
        for (HttpResponse<String> r :
                join(flood.stream().filter(CompletableFuture::isDone).toList())) {
            assertEquals(429, r.statusCode(), r.body());
            assertEquals("60", r.headers().firstValue("Retry-After").orElse(null));
            assertEquals(
                    "application/problem+json",
                    r.headers().firstValue("Content-Type").orElse(null));
            assertTrue(
                    JsonPath.from(r.body())
                            .getString("detail")
                            .startsWith("this tenant already has " + PER_TENANT + " test sends in progress"),
                    r.body());
        }

        // B, with twice as many calls at once as there are worker threads, while A's sends wait for the receiver
        List<CompletableFuture<HttpResponse<String>>> lists = new ArrayList<>();
        for (int i = 0; i < 2 * WORKER_THREADS; i++) {
            lists.add(http.sendAsync(request(b, "/v1/webhooks").GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (HttpResponse<String> r : join(lists)) {
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(fastHook, JsonPath.from(r.body()).getString("data[0].id"));
        }
        HttpResponse<String> bTest = join(testSends(b, fastHook, 1)).get(0);
        assertEquals(200, bTest.statusCode(), bTest.body());
        assertTrue(JsonPath.from(bTest.body()).getBoolean("success"), bTest.body());

        // all of that happened before the receiver answered a single one of A's sends
        assertEquals(1, release.getCount());
        assertEquals(PER_TENANT, slow.count());
        assertFalse(waiting.stream().anyMatch(CompletableFuture::isDone));

        release.countDown();
        for (HttpResponse<String> r : join(waiting)) {
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("late", JsonPath.from(r.body()).getString("body"), r.body());
        }
        // every slot came back: A may test again
        await().atMost(Duration.ofSeconds(10)).until(() -> limits.inProgress() == 0);
        assertEquals(200, join(testSends(a, slowHook, 1)).get(0).statusCode());
    }

    @Test
    void test_sends_of_all_tenants_together_are_bounded_per_server() {
        String c = Tokens.forTenant(Tokens.newTenant());
        String d = Tokens.forTenant(Tokens.newTenant());
        String cHook = createWebhook(c, slow.url());
        String dHook = createWebhook(d, slow.url());

        List<CompletableFuture<HttpResponse<String>>> cSends = testSends(c, cHook, PER_TENANT);
        await().atMost(Duration.ofSeconds(30)).until(() -> slow.count() == PER_TENANT);
        int dCount = PER_SERVER - PER_TENANT + 2;
        List<CompletableFuture<HttpResponse<String>>> dSends = testSends(d, dHook, dCount);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> slow.count() == PER_SERVER
                        && dSends.stream().filter(CompletableFuture::isDone).count() == 2);
        for (CompletableFuture<HttpResponse<String>> f : dSends) {
            if (f.isDone()) {
                HttpResponse<String> r = f.join();
                assertEquals(429, r.statusCode(), r.body());
                assertEquals("60", r.headers().firstValue("Retry-After").orElse(null));
                assertTrue(
                        JsonPath.from(r.body())
                                .getString("detail")
                                .startsWith("this server already has " + PER_SERVER + " test sends in progress"),
                        r.body());
            }
        }
        assertFalse(cSends.stream().anyMatch(CompletableFuture::isDone));

        release.countDown();
        for (HttpResponse<String> r : join(cSends)) {
            assertEquals(200, r.statusCode(), r.body());
        }
        assertEquals(
                dCount - 2,
                join(dSends).stream().filter(r -> r.statusCode() == 200).count());
    }

    @Test
    void a_test_send_refused_before_sending_gives_its_slot_back() {
        String owner = Tokens.forTenant(Tokens.newTenant());
        String stranger = Tokens.forTenant(Tokens.newTenant());
        String hook = createWebhook(owner, fast.url());
        for (int i = 0; i <= PER_TENANT; i++) {
            HttpResponse<String> r = join(testSends(stranger, hook, 1)).get(0);
            assertEquals(404, r.statusCode(), r.body());
            assertEquals(
                    "application/problem+json",
                    r.headers().firstValue("Content-Type").orElse(null));
        }
        assertEquals(0, limits.inProgress());
        assertEquals(0, fast.count());
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String createWebhook(String token, String url) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"url\":\"" + url + "\"}")
                .post("/v1/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private List<CompletableFuture<HttpResponse<String>>> testSends(String token, String webhookId, int count) {
        List<CompletableFuture<HttpResponse<String>>> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpRequest post = request(token, "/v1/webhooks/" + webhookId + "/test")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
            sends.add(http.sendAsync(post, HttpResponse.BodyHandlers.ofString()));
        }
        return sends;
    }

    private HttpRequest.Builder request(String token, String path) {
        // a guard against a hung test, not a measurement
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
    }

    private static List<HttpResponse<String>> join(List<CompletableFuture<HttpResponse<String>>> futures) {
        return futures.stream().map(CompletableFuture::join).toList();
    }
}
