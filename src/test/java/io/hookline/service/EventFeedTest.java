package io.hookline.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.hookline.common.Ids;
import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class EventFeedTest {
    static final String NOWHERE = "http://127.0.0.1:9/hook";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    FeedWaiters waiters;

    final Api api = Api.newTenant();

    /** One answer of the feed. */
    record FeedPage(List<String> ids, List<String> types, String next, String raw) {}

    static FeedPage feed(Api api, Map<String, Object> params) {
        RequestSpecification request = api.request();
        params.forEach(request::queryParam);
        Response response = request.get("/v1/events");
        response.then().statusCode(200);
        JsonPath body = response.jsonPath();
        String next = body.getString("next");
        assertNotNull(next, "every answer of the feed carries next");
        return new FeedPage(
                body.getList("data.id", String.class),
                body.getList("data.type", String.class),
                next,
                response.asString());
    }

    static FeedPage after(Api api, String cursor, Object... more) {
        Map<String, Object> params = new LinkedHashMap<>();
        if (cursor != null) {
            params.put("after", cursor);
        }
        for (int i = 0; i < more.length; i += 2) {
            params.put((String) more[i], more[i + 1]);
        }
        return feed(api, params);
    }

    /** Reads pages until an empty one; returns every id seen, in order, and the last next. */
    static List<String> drain(Api api, String[] cursor, Object... more) {
        List<String> seen = new ArrayList<>();
        for (int pages = 0; pages < 1000; pages++) {
            FeedPage page = after(api, cursor[0], more);
            cursor[0] = page.next();
            if (page.ids().isEmpty()) {
                return seen;
            }
            seen.addAll(page.ids());
        }
        throw new AssertionError("the feed never ends: " + seen.size() + " events in 1000 pages");
    }

    @Test
    void a_consumer_pages_through_the_feed_oldest_first_and_always_gets_next() {
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            published.add(api.publish("order.paid", "{\"n\":" + i + "}"));
        }
        FeedPage first = after(api, null, "limit", 2);
        assertEquals(published.subList(0, 2), first.ids());
        FeedPage second = after(api, first.next(), "limit", 2);
        assertEquals(published.subList(2, 4), second.ids());
        FeedPage third = after(api, second.next(), "limit", 2);
        assertEquals(published.subList(4, 5), third.ids());
        FeedPage end = after(api, third.next(), "limit", 2);
        assertEquals(List.of(), end.ids());

        // the end's next is where the following event will be found, and nothing before it comes again
        String later = api.publish("order.paid", "{\"n\":5}");
        FeedPage fresh = after(api, end.next());
        assertEquals(List.of(later), fresh.ids());
        // without after: from the oldest event kept
        assertEquals(published.size() + 1, after(api, null).ids().size());
    }

    @Test
    void each_item_carries_the_delivery_body_byte_for_byte() {
        String data = "{\"b\" : [1, 2.50],  \"a\":\"\\u00e9\"}";
        String id = api.publish("order.paid", data);
        String body = new String(
                (byte[]) Db.query("select body from event where id = ?", id)
                        .get(0)
                        .get(0),
                StandardCharsets.UTF_8);
        assertTrue(body.contains("\"data\":" + data), body);
        FeedPage page = after(api, null);
        assertTrue(page.raw().contains("\"payload\":" + body), page.raw());
        api.request()
                .get("/v1/events")
                .then()
                .statusCode(200)
                .body("data[0].id", equalTo(id))
                .body("data[0].type", equalTo("order.paid"))
                .body("data[0].payload.meta.event_id", equalTo(id))
                .body("data[0].payload.meta.event_type", equalTo("order.paid"))
                .body("data[0].payload.data.a", equalTo("é"));
    }

    @Test
    void the_types_filter_takes_exact_types_and_prefixes() {
        String created = api.publish("transaction.created", "{}");
        String sub = api.publish("subscription.created", "{}");
        String updated = api.publish("transaction.updated", "{}");
        api.publish("invoice.paid", "{}");

        assertEquals(
                List.of(created, updated),
                after(api, null, "types", "transaction.*").ids());
        assertEquals(
                List.of(sub), after(api, null, "types", "subscription.created").ids());
        assertEquals(
                List.of(created, sub, updated),
                after(api, null, "types", "transaction.*,subscription.created").ids());
        assertEquals(4, after(api, null, "types", "*").ids().size());
        assertEquals(List.of(), after(api, null, "types", "nothing.like.this").ids());

        // paging a filtered feed: next goes on from where the last page stopped
        FeedPage one = after(api, null, "types", "transaction.*", "limit", 1);
        assertEquals(List.of(created), one.ids());
        assertEquals(
                List.of(updated),
                after(api, one.next(), "types", "transaction.*").ids());
    }

    @Test
    void a_filtered_feed_reads_on_past_more_events_than_one_scan_looks_at() throws Exception {
        // more non-matching events than EventFeed.SCAN, then one that matches: a consumer keeps polling with next
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Instant now = Instant.now();
            for (int i = 0; i < EventFeed.SCAN + 5; i++) {
                String id = Ids.event();
                byte[] body = Envelope.render(json, id, "noise.tick", now, "{}".getBytes(StandardCharsets.UTF_8));
                EventService.insertEvent(c, id, api.tenant, "noise.tick", body, null, now);
            }
            c.commit();
        }
        String wanted = api.publish("signal.found", "{}");

        FeedPage first = after(api, null, "types", "signal.*");
        assertEquals(List.of(), first.ids(), "one read looks at " + EventFeed.SCAN + " events at most");
        assertEquals(
                List.of(wanted), after(api, first.next(), "types", "signal.*").ids());
        // a waiting poll does not stop at the scan's end: it reads on at once
        assertEquals(
                List.of(wanted),
                after(api, null, "types", "signal.*", "wait", 5).ids());
    }

    @Test
    void a_waiting_poll_answers_as_soon_as_an_event_is_published() throws Exception {
        String[] cursor = {null};
        drain(api, cursor);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            long start = System.nanoTime();
            Future<FeedPage> poll = pool.submit(() -> after(api, cursor[0], "wait", 20));
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting(api.tenant) == 1);
            String id = api.publish("order.paid", "{}");
            FeedPage page = poll.get(10, TimeUnit.SECONDS);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(List.of(id), page.ids());
            assertTrue(tookMs < 10_000, "answered after " + tookMs + " ms, not at the end of the wait");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void a_waiting_poll_that_finds_nothing_answers_an_empty_page_with_next_at_the_end() {
        String[] cursor = {null};
        drain(api, cursor);
        long start = System.nanoTime();
        FeedPage page = after(api, cursor[0], "wait", 1);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(List.of(), page.ids());
        assertTrue(tookMs >= 900, "answered after " + tookMs + " ms");
        assertEquals(0, waiters.waiting(api.tenant));
        String id = api.publish("order.paid", "{}");
        assertEquals(List.of(id), after(api, page.next()).ids());
    }

    @Test
    void bad_parameters_get_a_problem_naming_each() {
        api.publish("order.paid", "{}");
        String[][] bad = {
            {"after", "not a cursor"},
            {"after", "!!!"},
            {"after", "x".repeat(FeedCursor.MAX_LENGTH + 1)},
            {"after", "YWJj"}, // base64 of "abc"
            {"after", "MTIzLmV2dF8k"}, // "123.evt_$"
            {"after", "OTk5OTk5OTk5OTk5OTk5OTk5OS4"}, // "9999999999999999999." (19 digits, over 2^63 - 1)
            {"after", "MTI"}, // "12": no dot
            {"limit", "0"},
            {"limit", "251"},
            {"limit", "ten"},
            {"wait", "-1"},
            {"wait", "31"},
            {"wait", "1.5"},
            {"types", "Transaction.*"},
            {"types", "a,,b"},
            {"types", "a*b"},
            {"types", "x".repeat(256)},
            {"types", "a,".repeat(100) + "a"},
        };
        for (String[] p : bad) {
            String field = p[0];
            api.request()
                    .queryParam(p[0], p[1])
                    .get("/v1/events")
                    .then()
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("errors.field", hasItem(field.equals("types") ? startsWith("types") : equalTo(field)));
        }
        // all at once: each one named
        api.request()
                .queryParam("after", "zz")
                .queryParam("limit", "0")
                .queryParam("wait", "99")
                .queryParam("types", "A")
                .get("/v1/events")
                .then()
                .statusCode(422)
                .body("errors.field", equalTo(List.of("after", "types[0]", "limit", "wait")));
        // a well-formed cursor this database never handed out: ahead of the horizon
        String ahead = new FeedCursor(Long.MAX_VALUE - 1, "").encode();
        api.request()
                .queryParam("after", ahead)
                .get("/v1/events")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("after"))
                .body("detail", containsString("ahead"));
    }

    @Test
    void a_tenant_sees_only_its_own_events_and_never_a_test_event() {
        Api other = Api.newTenant();
        other.publish("order.paid", "{}");
        String webhook = api.createWebhook(NOWHERE);
        api.request().post("/v1/webhooks/" + webhook + "/test").then().statusCode(200);
        assertEquals(1, Db.count("select count(*) from event where tenant = ? and type = 'webhook.test'", api.tenant));
        String mine = api.publish("order.paid", "{}");
        // an event the tenant publishes with that type is its own event, and in the feed
        String published = api.publish("webhook.test", "{}");

        assertEquals(List.of(mine, published), after(api, null).ids());
        assertEquals(1, after(other, null).ids().size());
    }

    @Test
    void events_removed_by_retention_leave_the_feed_from_its_start() {
        String first = api.publish("order.paid", "{}");
        String second = api.publish("order.paid", "{}");
        String[] cursor = {null};
        assertEquals(List.of(first, second), drain(api, cursor));
        Db.update("delete from event where id = ?", first);
        assertEquals(List.of(second), after(api, null).ids());
        assertEquals(List.of(), after(api, cursor[0]).ids());
    }

    /** An event row inserted by the service's own statement on {@code c}, in whatever transaction c has open. */
    String insert(Connection c, String id, String type) throws Exception {
        Instant now = Instant.now();
        byte[] body = Envelope.render(json, id, type, now, "{}".getBytes(StandardCharsets.UTF_8));
        assertTrue(EventService.insertEvent(c, id, api.tenant, type, body, null, now));
        return id;
    }

    /**
     * THE property of the feed. A publish transaction opened first (smallest id, smallest xid) commits after later
     * events: a consumer polling meanwhile must not read past it. (Ordered by id or created_at, the consumer reads
     * the later events, moves its cursor past the held one, and never sees it.)
     */
    @Test
    void an_event_committed_late_is_not_skipped_by_a_consumer_that_polled_meanwhile() throws Exception {
        String[] cursor = {null};
        drain(api, cursor);
        List<String> seen = new ArrayList<>();
        List<String> seenWhileHeld = new ArrayList<>();
        String held = Ids.event();
        List<String> later = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            insert(c, held, "held.event");
            for (int i = 0; i < 3; i++) {
                later.add(api.publish("later.event", "{}"));
            }
            // the consumer polls while the held transaction is open
            for (int i = 0; i < 3; i++) {
                seenWhileHeld.addAll(drain(api, cursor));
            }
            c.commit();
        }
        seen.addAll(seenWhileHeld);
        await().atMost(Duration.ofSeconds(10))
                .alias("the consumer sees all 4 events, the late one too")
                .until(() -> {
                    seen.addAll(drain(api, cursor));
                    return seen.size() >= 4;
                });
        List<String> expected = new ArrayList<>(List.of(held));
        expected.addAll(later);
        assertEquals(expected, seen, "each once, in the order their transactions started writing");
        // how: the later events were held back behind the open transaction, which might still have added one
        assertEquals(List.of(), seenWhileHeld);
    }

    @Test
    void a_waiting_poll_gets_an_event_held_back_behind_an_open_transaction_once_it_commits() throws Exception {
        String[] cursor = {null};
        drain(api, cursor);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            String held = insert(c, Ids.event(), "held.event");
            String later = api.publish("later.event", "{}");
            Future<FeedPage> poll = pool.submit(() -> after(api, cursor[0], "wait", 20));
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting(api.tenant) == 1);
            assertFalse(poll.isDone());
            c.commit();
            // no publish wakes it: the horizon check does (every hookline.feed.poll-interval)
            FeedPage page = poll.get(10, TimeUnit.SECONDS);
            assertEquals(List.of(held, later), page.ids());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Transactions inserting in id order commit in the reverse order, the consumer polling after each commit: it must
     * see every event exactly once.
     */
    @Test
    void transactions_committing_in_reverse_order_lose_no_event() throws Exception {
        String[] cursor = {null};
        drain(api, cursor);
        int n = 5;
        List<Connection> open = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Connection c = dataSource.getConnection();
                open.add(c);
                c.setAutoCommit(false);
                ids.add(insert(c, Ids.event(), "tx.event"));
            }
            for (int i = n - 1; i >= 0; i--) {
                open.get(i).commit();
                seen.addAll(drain(api, cursor));
            }
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            seen.addAll(drain(api, cursor));
            return seen.size() >= n;
        });
        assertEquals(ids, seen, "all of them, in the order their transactions started writing");
    }

    /**
     * Publishers through the API, and publishers whose transactions stay open after their insert until an API publish
     * has committed and the consumer has polled since (so commit order is not id order, and the consumer has had the
     * chance to read past the open one), while a consumer polls all along: it sees every event exactly once.
     */
    @Test
    void concurrent_publishers_and_a_polling_consumer_lose_and_repeat_nothing() throws Exception {
        int publishers = 6;
        int each = 10;
        ExecutorService pool = Executors.newFixedThreadPool(publishers + 1);
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicInteger polls = new AtomicInteger();
        AtomicInteger apiPublishes = new AtomicInteger();
        AtomicInteger apiPublishersLeft = new AtomicInteger(publishers / 2);
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try {
            Future<String> consumer = pool.submit(() -> {
                String[] cursor = {null};
                while (publishing.get()) {
                    FeedPage page = after(api, cursor[0]);
                    cursor[0] = page.next();
                    seen.addAll(page.ids());
                    polls.incrementAndGet();
                }
                return cursor[0];
            });
            List<Future<List<String>>> done = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                boolean viaApi = p % 2 == 0;
                done.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        if (viaApi) {
                            mine.add(api.publish("busy.event", "{\"i\":" + i + "}"));
                            apiPublishes.incrementAndGet();
                            continue;
                        }
                        try (Connection c = dataSource.getConnection()) {
                            c.setAutoCommit(false);
                            mine.add(insert(c, Ids.event(), "slow.event"));
                            int published = apiPublishes.get();
                            int polled = polls.get();
                            await().atMost(Duration.ofSeconds(30))
                                    .pollInterval(Duration.ofMillis(5))
                                    .until(() -> (apiPublishes.get() > published || apiPublishersLeft.get() == 0)
                                            && polls.get() > polled);
                            c.commit();
                        }
                    }
                    if (viaApi) {
                        apiPublishersLeft.decrementAndGet();
                    }
                    return mine;
                }));
            }
            Set<String> published = new HashSet<>();
            for (Future<List<String>> f : done) {
                published.addAll(f.get(120, TimeUnit.SECONDS));
            }
            publishing.set(false);
            String[] cursor = {consumer.get(30, TimeUnit.SECONDS)};
            await().atMost(Duration.ofSeconds(10))
                    .alias("the consumer sees every event published")
                    .until(() -> {
                        seen.addAll(drain(api, cursor));
                        return seen.size() >= published.size();
                    });
            assertEquals(published.size(), seen.size(), "no event twice");
            assertEquals(published, new HashSet<>(seen));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void the_answer_is_documented_for_an_empty_feed() {
        api.request()
                .queryParam("limit", 3)
                .get("/v1/events")
                .then()
                .statusCode(200)
                .body("data", hasSize(0))
                .body("next", notNullValue());
    }
}
