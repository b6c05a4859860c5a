package io.hookline.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.client.api.AuditApi;
import io.hookline.client.api.DeliveriesApi;
import io.hookline.client.api.EventsApi;
import io.hookline.client.api.WebhooksApi;
import io.hookline.client.model.AuditActor;
import io.hookline.client.model.AuditEntry;
import io.hookline.client.model.CreateWebhook;
import io.hookline.client.model.Delivery;
import io.hookline.client.model.DeliveryPage;
import io.hookline.client.model.DeliveryStatus;
import io.hookline.client.model.DeliveryWithAttempts;
import io.hookline.client.model.EventFeedPage;
import io.hookline.client.model.FeedEvent;
import io.hookline.client.model.Problem;
import io.hookline.client.model.PublishEvent;
import io.hookline.client.model.PublishEventBatch;
import io.hookline.client.model.PublishedEvent;
import io.hookline.client.model.PublishedEventBatch;
import io.hookline.client.model.PublishedEventBatchResult;
import io.hookline.client.model.RotateSecret;
import io.hookline.client.model.TestDeliveryResult;
import io.hookline.client.model.UpdateWebhook;
import io.hookline.client.model.Webhook;
import io.hookline.client.model.WebhookPage;
import io.hookline.client.model.WebhookWithSecret;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Tokens;
import io.hookline.testsupport.Verify;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's walkthrough, through the Java client that openapi-generator (generator java, library native) makes
 * from the committed openapi/openapi.yaml during the build: if the document stops describing the service, this
 * test no longer compiles or no longer passes.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class GeneratedJavaClientTest {

    /** Nested objects, an array, a number, a boolean and a null: what a client must send unchanged. */
    static final Map<String, Object> DATA = data();

    private static Map<String, Object> data() {
        Map<String, Object> coupon = new HashMap<>();
        coupon.put("code", null);
        return Map.of(
                "transactionId",
                "txn_123",
                "amount",
                4200,
                "settled",
                false,
                "note",
                Map.of("text", "caf\u00e9 \u2615", "tags", List.of("vip", "eu")),
                "lines",
                List.of(Map.of("sku", "A-1", "qty", 2), Map.of("sku", "B-2", "qty", 1)),
                "coupon",
                coupon);
    }

    @TestHTTPResource("/")
    URI root;

    /** Plain Jackson, independent of the client's own mapper (which leaves out nulls). */
    final ObjectMapper json = new ObjectMapper();

    final Receiver receiver = Receiver.start();
    ApiClient client;
    WebhooksApi webhooks;
    final String tenant = Tokens.newTenant();
    /** The Hookline-Tenant argument of every call: null for the tenant's own token. */
    String acting;

    @BeforeEach
    void client() {
        useToken(Tokens.forTenant(tenant));
    }

    private void useToken(String token) {
        client = new ApiClient();
        client.updateBaseUri(root.getScheme() + "://" + root.getAuthority());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        webhooks = new WebhooksApi(client);
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void the_walkthrough_runs_through_the_generated_client_and_the_receiver_gets_the_nested_data_signed()
            throws Exception {
        walkthrough();
    }

    /** The generated methods' Hookline-Tenant argument: a platform backend's token acts for the tenant it names. */
    @Test
    void a_platform_backend_runs_the_walkthrough_for_a_tenant_through_the_header_argument() throws Exception {
        useToken(Tokens.platform("billing-backend"));
        acting = tenant;
        walkthrough();
        List<AuditEntry> audit =
                new AuditApi(client).listAuditEntries(null, 50, tenant).getData();
        assertEquals(
                List.of("changed", "created", "redelivered", "revoked", "rotated", "tested", "tested"),
                audit.stream().map(AuditEntry::getAction).sorted().toList(),
                "every change of the walkthrough is in the tenant's audit log");
        for (AuditEntry e : audit) {
            assertEquals(AuditActor.ViaEnum.PLATFORM, e.getActor().getVia());
            assertEquals("billing-backend", e.getActor().getClient());
        }
        Problem unnamed = problem(assertThrows(ApiException.class, () -> webhooks.listWebhooks(null, 2, null)), 400);
        assertTrue(unnamed.getDetail().contains("Hookline-Tenant"), unnamed.getDetail());
    }

    private void walkthrough() throws Exception {
        WebhookWithSecret created = webhooks.createWebhook(
                new CreateWebhook()
                        .url(receiver.url())
                        .description("local receiver")
                        .eventTypes(List.of("transaction.*", "webhook.test")),
                acting);
        String id = created.getId();
        String secret = created.getSecret();
        assertTrue(id.startsWith("wh_"), id);
        assertTrue(secret.startsWith("whsec_"), "a secret is returned on creation");
        assertEquals("local receiver", webhooks.getWebhook(id, acting).getDescription());
        Webhook changed = webhooks.updateWebhook(id, new UpdateWebhook().description(null), acting);
        assertNull(changed.getDescription(), "null clears the description");
        assertEquals(
                List.of("transaction.*", "webhook.test"),
                changed.getEventTypes(),
                "a PATCH that does not name eventTypes keeps them");

        PublishedEvent published = new EventsApi(client)
                .publishEvent(new PublishEvent().type("transaction.created").data(DATA), "order-42-paid", acting);
        assertEquals(1, published.getDeliveries());

        DeliveriesApi deliveries = new DeliveriesApi(client);
        DeliveryPage succeeded = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> deliveries.listWebhookDeliveries(id, null, null, DeliveryStatus.SUCCEEDED, acting),
                        page -> page.getData().size() == 1);
        Delivery delivery = succeeded.getData().get(0);
        assertEquals(published.getId(), delivery.getEventId());
        DeliveryWithAttempts log = deliveries.getDelivery(delivery.getId(), acting);
        assertEquals("transaction.created", log.getEventType());
        assertEquals(200, log.getAttempts().get(0).getResponseStatus());

        assertEquals(1, receiver.count());
        Receiver.Request sent = receiver.requests().get(0);
        assertEquals(
                json.valueToTree(DATA),
                json.readTree(sent.body()).get("data"),
                "the receiver gets exactly the data the client published");
        assertTrue(Verify.hex(secret, sent.body(), sent.header("X-Hookline-Signature")), "hex signature");
        assertTrue(Verify.standardWebhooks(secret, sent), "Standard Webhooks signature");
        Object stored = new EventsApi(client)
                .getEvent(published.getId(), acting)
                .getPayload()
                .getData();
        assertEquals(json.valueToTree(DATA), json.valueToTree(stored), "the event's stored payload");

        Delivery again = deliveries.redeliver(delivery.getId(), acting);
        assertEquals("pending", String.valueOf(again.getStatus()));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.count() == 2);
        assertArrayEquals(sent.body(), last().body(), "a redelivery sends the same bytes");

        TestDeliveryResult test = webhooks.testWebhook(id, acting);
        assertTrue(test.getSuccess(), String.valueOf(test));
        assertEquals(200, test.getStatus());
        assertEquals("webhook.test", last().header("X-Hookline-Event"));

        WebhookWithSecret rotated = webhooks.rotateWebhookSecret(id, new RotateSecret().graceSeconds(3600L), acting);
        assertNotEquals(secret, rotated.getSecret());
        webhooks.testWebhook(id, acting);
        Receiver.Request afterRotation = last();
        assertTrue(Verify.standardWebhooks(secret, afterRotation), "old secret signs during the grace period");
        assertTrue(Verify.standardWebhooks(rotated.getSecret(), afterRotation), "new secret signs");

        assertEquals(204, webhooks.revokeWebhookWithHttpInfo(id, acting).getStatusCode());
        Problem gone = problem(assertThrows(ApiException.class, () -> webhooks.getWebhook(id, acting)), 404);
        assertNotNull(gone.getDetail(), "a 404 says what was not found");
    }

    @Test
    void a_list_is_paged_through_with_limit_and_the_next_cursor() throws Exception {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            created.add(webhooks.createWebhook(new CreateWebhook().url("https://example.com/hook/" + i), null)
                    .getId());
        }
        List<String> seen = new ArrayList<>();
        WebhookPage first = webhooks.listWebhooks(null, 2, null);
        first.getData().stream().map(Webhook::getId).forEach(seen::add);
        assertEquals(2, first.getData().size());
        assertNotNull(first.getNext(), "a full page names the next one");

        WebhookPage last = webhooks.listWebhooks(first.getNext(), 2, null);
        last.getData().stream().map(Webhook::getId).forEach(seen::add);
        assertEquals(1, last.getData().size());
        assertNull(last.getNext(), "the last page has no next cursor");
        assertEquals(created, Set.copyOf(seen));
        assertEquals(3, seen.size(), "no webhook on two pages");
    }

    @Test
    void the_event_feed_is_polled_with_the_next_cursor_and_carries_the_published_data() throws Exception {
        EventsApi events = new EventsApi(client);
        EventFeedPage empty = events.listEvents(null, null, null, null, null);
        assertEquals(List.of(), empty.getData());
        assertNotNull(empty.getNext(), "next is there on an empty page too");

        PublishedEvent published = events.publishEvent(
                new PublishEvent().type("transaction.created").data(DATA), null, null);
        EventFeedPage page = events.listEvents(empty.getNext(), 10, "transaction.*", 5, null);
        assertEquals(
                List.of(published.getId()),
                page.getData().stream().map(FeedEvent::getId).toList());
        FeedEvent item = page.getData().get(0);
        assertEquals("transaction.created", item.getType());
        assertEquals(published.getId(), item.getPayload().getMeta().getEventId());
        assertEquals(json.valueToTree(DATA), json.valueToTree(item.getPayload().getData()), "the data as published");
        assertEquals(
                List.of(),
                events.listEvents(page.getNext(), null, null, 0, null).getData());
    }

    @Test
    void a_batch_is_published_through_the_generated_client_with_one_result_per_event() throws Exception {
        webhooks.createWebhook(new CreateWebhook().url(receiver.url()), null);
        EventsApi events = new EventsApi(client);
        PublishedEventBatch answer = events.publishEventBatch(
                new PublishEventBatch()
                        .events(List.of(
                                new PublishEvent()
                                        .type("transaction.created")
                                        .data(DATA)
                                        .id("batch-1"),
                                new PublishEvent().type("Not A Type").data(DATA),
                                new PublishEvent()
                                        .type("transaction.created")
                                        .data(DATA)
                                        .id("batch-1"))),
                null);
        List<PublishedEventBatchResult> results = answer.getResults();
        assertEquals(
                List.of(0, 1, 2),
                results.stream().map(PublishedEventBatchResult::getIndex).toList());
        assertEquals(
                List.of(202, 422, 202),
                results.stream().map(PublishedEventBatchResult::getStatus).toList());
        assertEquals(1, results.get(0).getDeliveries());
        assertEquals("type", results.get(1).getProblem().getErrors().get(0).getField());
        assertEquals(results.get(0).getId(), results.get(2).getId(), "a repeated id replays its first event");
        assertTrue(results.get(2).getReplayed());
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.count() == 1);
        assertEquals(
                json.valueToTree(DATA),
                json.readTree(receiver.requests().get(0).body()).get("data"));

        Problem atomic = problem(
                assertThrows(
                        ApiException.class,
                        () -> events.publishEventBatch(
                                new PublishEventBatch()
                                        .atomic(true)
                                        .events(List.of(
                                                new PublishEvent().type("a.b").data(DATA),
                                                new PublishEvent().type("Bad").data(DATA))),
                                null)),
                422);
        assertEquals("events[1].type", atomic.getErrors().get(0).getField());
    }

    @Test
    void problems_reach_the_caller_as_an_api_exception_with_the_problem_document() throws Exception {
        Problem missing = problem(
                assertThrows(ApiException.class, () -> webhooks.getWebhook("wh_00000000000000000000000000", null)),
                404);
        assertFalse(missing.getDetail().isBlank());

        Problem invalid = problem(
                assertThrows(
                        ApiException.class,
                        () -> webhooks.createWebhook(new CreateWebhook().url("ftp://example.com/hook"), null)),
                422);
        assertFalse(invalid.getDetail().isBlank());
        assertEquals("url", invalid.getErrors().get(0).getField());
        assertFalse(invalid.getErrors().get(0).getMessage().isBlank());
    }

    private Receiver.Request last() {
        List<Receiver.Request> all = receiver.requests();
        return all.get(all.size() - 1);
    }

    /** The problem document of a failed call, read with the client's own mapper and model. */
    private Problem problem(ApiException e, int status) throws Exception {
        assertEquals(status, e.getCode(), e.getResponseBody());
        assertEquals(
                "application/problem+json",
                e.getResponseHeaders().firstValue("Content-Type").orElse("").split(";")[0]);
        Problem problem = client.getObjectMapper().readValue(e.getResponseBody(), Problem.class);
        assertEquals(status, problem.getStatus());
        assertNotNull(problem.getTitle());
        return problem;
    }
}
