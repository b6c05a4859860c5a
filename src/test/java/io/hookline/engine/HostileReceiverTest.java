package io.hookline.engine;

import io.hookline.send.Sender;
import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.RawReceiver;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Receiver.Answer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Receivers that answer what no honest server would: each answer still gives a recorded attempt, and nothing one
 * receiver answers changes what happens to anyone else's deliveries.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class HostileReceiverTest {
    static final String OK_HEAD = "HTTP/1.1 200 OK\r\n";

    final Api api = Api.newTenant();
    final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T open(T receiver) {
        opened.add(receiver);
        return receiver;
    }

    private RawReceiver raw(String latin1) {
        return open(RawReceiver.answering(latin1));
    }

    private static byte[] concat(String head, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Publishes one event to a new webhook at {@code url}; returns the delivery once its first attempt is logged. */
    private JsonPath firstAttempt(String url) {
        api.createWebhookWithSecret(url);
        String eventId = api.publish("a.b", "{}");
        String deliveryId = api.request()
                .get("/v1/events/" + eventId)
                .then()
                .statusCode(200)
                .extract()
                .path("deliveries[0].id");
        await().atMost(Duration.ofSeconds(8))
                .until(() -> Db.count("SELECT count(*) FROM delivery_attempt WHERE delivery_id = ?", deliveryId) > 0);
        return api.request()
                .get("/v1/deliveries/" + deliveryId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static void assertStorable(String body) {
        assertFalse(body.contains("\0"), "NUL kept");
        assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(body), "not UTF-8 encodable");
    }

    @Test
    void a_body_with_a_nul_byte_is_stored_with_a_replacement_character_and_the_delivery_succeeds() {
        Receiver receiver =
                open(Receiver.start().answering(n -> Answer.status(200).body("ok\0ok")));
        JsonPath d = firstAttempt(receiver.url());
        assertEquals(200, d.getInt("attempts[0].responseStatus"));
        assertNull(d.get("attempts[0].errorClass"));
        assertEquals("ok\uFFFDok", d.getString("attempts[0].responseBody"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "succeeded"
                        .equals(Db.query("SELECT status FROM delivery WHERE id = ?", d.getString("delivery.id"))
                                .get(0)
                                .get(0)));
        assertEquals(1, receiver.count());
    }

    @Test
    void a_body_of_invalid_utf8_is_stored_with_replacement_characters() {
        byte[] body = {'o', 'k', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '('};
        RawReceiver receiver = open(RawReceiver.answering(concat(OK_HEAD + "Content-Length: 6\r\n\r\n", body)));
        JsonPath d = firstAttempt(receiver.url());
        assertEquals(200, d.getInt("attempts[0].responseStatus"));
        assertEquals("ok\uFFFD\uFFFD\uFFFD(", d.getString("attempts[0].responseBody"));
    }

    @Test
    void a_binary_body_is_stored_as_at_most_4_kib_of_storable_text() {
        byte[] body = new byte[10_000];
        new Random(7).nextBytes(body);
        body[0] = 0;
        RawReceiver receiver = open(RawReceiver.answering(
                concat("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 10000\r\n\r\n", body)));
        JsonPath d = firstAttempt(receiver.url());
        assertEquals(500, d.getInt("attempts[0].responseStatus"));
        assertEquals("http_status", d.getString("attempts[0].errorClass"));
        String stored = d.getString("attempts[0].responseBody");
        assertStorable(stored);
        assertTrue(stored.startsWith("\uFFFD"));
        assertTrue(stored.length() <= Sender.BODY_LIMIT, stored.length() + " characters");
    }

    @Test
    void ten_thousand_headers_are_a_failed_attempt_with_an_invalid_response_message() {
        String head = OK_HEAD + "X-Junk: v\r\n".repeat(10_000) + "Content-Length: 0\r\n\r\n";
        JsonPath d = firstAttempt(raw(head).url());
        assertEquals("invalid_response", d.getString("attempts[0].errorClass"));
        assertEquals("invalid response: headers over 8192 bytes", d.getString("attempts[0].errorMessage"));
        assertNull(d.get("attempts[0].responseStatus"));
    }

    @Test
    void a_header_of_one_mebibyte_is_a_failed_attempt_with_an_invalid_response_message() {
        String head = OK_HEAD + "X-Big: " + "a".repeat(1 << 20) + "\r\nContent-Length: 0\r\n\r\n";
        JsonPath d = firstAttempt(raw(head).url());
        assertEquals("invalid_response", d.getString("attempts[0].errorClass"));
        assertEquals("invalid response: headers over 8192 bytes", d.getString("attempts[0].errorMessage"));
    }

    @Test
    void a_body_that_never_ends_is_cut_at_4_kib_without_waiting_for_the_timeout() {
        byte[] chunk = ("2000\r\n" + "z".repeat(0x2000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        RawReceiver receiver = open(RawReceiver.start((out, r) -> {
            out.write((OK_HEAD + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            while (r.open()) {
                out.write(chunk); // until the sender hangs up
            }
        }));
        JsonPath d = firstAttempt(receiver.url());
        assertEquals(200, d.getInt("attempts[0].responseStatus"));
        assertEquals("z".repeat(Sender.BODY_LIMIT), d.getString("attempts[0].responseBody"));
        // the test profile's timeout is 2 s
        assertTrue(d.getInt("attempts[0].durationMs") < 1500, d.getInt("attempts[0].durationMs") + " ms");
    }

    @Test
    void a_body_that_trickles_forever_is_a_timeout() {
        RawReceiver receiver = open(RawReceiver.start((out, r) -> {
            out.write((OK_HEAD + "Content-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            while (r.open()) {
                out.write('.');
                out.flush();
                r.pause(100);
            }
        }));
        JsonPath d = firstAttempt(receiver.url());
        assertEquals("timeout", d.getString("attempts[0].errorClass"));
        assertTrue(d.getInt("attempts[0].durationMs") < 5000, d.getInt("attempts[0].durationMs") + " ms");
    }

    @Test
    void a_status_line_of_garbage_is_an_invalid_response() {
        JsonPath d = firstAttempt(raw("GARBAGE\0\u00ff\r\n\r\n").url());
        assertEquals("invalid_response", d.getString("attempts[0].errorClass"));
        assertNull(d.get("attempts[0].responseStatus"));
        assertStorable(d.getString("attempts[0].errorMessage"));
        assertTrue(
                d.getString("attempts[0].errorMessage").startsWith("invalid response: "),
                d.getString("attempts[0].errorMessage"));
    }

    @Test
    void a_status_code_that_is_not_a_number_is_an_invalid_response() {
        JsonPath d =
                firstAttempt(raw("HTTP/1.1 2OO OK\r\nContent-Length: 0\r\n\r\n").url());
        assertEquals("invalid_response", d.getString("attempts[0].errorClass"));
        assertTrue(
                d.getString("attempts[0].errorMessage").startsWith("invalid response: "),
                d.getString("attempts[0].errorMessage"));
    }

    @Test
    void a_status_line_over_4_kib_is_an_invalid_response() {
        JsonPath d = firstAttempt(raw("HTTP/1.1 200 " + "O".repeat(10_000) + "\r\nContent-Length: 0\r\n\r\n")
                .url());
        assertEquals("invalid_response", d.getString("attempts[0].errorClass"));
        assertEquals("invalid response: status line over 4096 bytes", d.getString("attempts[0].errorMessage"));
    }

    @Test
    void a_negative_content_length_is_an_invalid_response() {
        JsonPath d = firstAttempt(raw(OK_HEAD + "Content-Length: -5\r\n\r\nok").url());
        assertEquals("invalid_response", d.getString("attempts[0].errorClass"));
        assertTrue(
                d.getString("attempts[0].errorMessage").startsWith("invalid response: "),
                d.getString("attempts[0].errorMessage"));
    }

    @Test
    void the_test_send_to_a_receiver_answering_a_nul_byte_answers_200_and_its_delivery_is_done() {
        Receiver receiver =
                open(Receiver.start().answering(n -> Answer.status(200).body("ok\0ok")));
        String webhook = api.createWebhookWithSecret(receiver.url())[0];
        String deliveryId = api.request()
                .post("/v1/webhooks/" + webhook + "/test")
                .then()
                .statusCode(200)
                .body("success", equalTo(true))
                .body("status", equalTo(200))
                .body("body", equalTo("ok\uFFFDok"))
                .body("error", nullValue())
                .extract()
                .path("deliveryId");
        // recorded as done, so no dispatcher will send it again when its lease would have run out
        assertEquals(
                List.of(List.of("succeeded", 1)),
                Db.query("SELECT status, attempts FROM delivery WHERE id = ? AND lease_token IS NULL", deliveryId));
        assertEquals(1L, Db.count("SELECT count(*) FROM delivery_attempt WHERE delivery_id = ?", deliveryId));
        assertEquals(1, receiver.count());
    }

    @Test
    void the_test_send_to_a_receiver_with_oversized_headers_answers_200_with_the_failure() {
        RawReceiver receiver = raw(OK_HEAD + "X-Junk: v\r\n".repeat(10_000) + "\r\n");
        String webhook = api.createWebhookWithSecret(receiver.url())[0];
        String deliveryId = api.request()
                .post("/v1/webhooks/" + webhook + "/test")
                .then()
                .statusCode(200)
                .body("success", equalTo(false))
                .body("status", nullValue())
                .body("error", equalTo("invalid response: headers over 8192 bytes"))
                .extract()
                .path("deliveryId");
        assertEquals(
                List.of(List.of("failed", 1)),
                Db.query("SELECT status, attempts FROM delivery WHERE id = ? AND lease_token IS NULL", deliveryId));
        assertEquals(1, receiver.count());
    }

    @Test
    void another_tenants_receiver_gets_exactly_one_request_per_event_while_a_hostile_one_shares_its_batches() {
        // both answer after the same pause, so their results reach the recorder together, batch after batch
        Receiver hostile = open(Receiver.start()
                .answering(n -> Answer.status(200).body("ok\0ok").hold(100)));
        Receiver other = open(
                Receiver.start().answering(n -> Answer.status(200).body("fine").hold(100)));
        Api victim = Api.newTenant();
        api.createWebhookWithSecret(hostile.url());
        victim.createWebhookWithSecret(other.url());
        int events = 60;
        List<String> victimEvents = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            api.publish("a.b", "{\"i\":" + i + "}");
            victimEvents.add(victim.publish("a.b", "{\"i\":" + i + "}"));
        }
        // generous for a loaded machine: a lost result shows as a second attempt below, not as a slow test
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Db.count(
                                "SELECT count(*) FROM delivery WHERE tenant IN (?, ?) AND status = 'succeeded'",
                                api.tenant,
                                victim.tenant)
                        == 2L * events);
        Map<String, Integer> perEvent = new HashMap<>();
        for (Receiver.Request r : other.requests()) {
            perEvent.merge(r.header("webhook-id"), 1, Integer::sum);
        }
        assertEquals(events, other.count());
        assertEquals(events, perEvent.size());
        assertTrue(perEvent.keySet().containsAll(victimEvents));
        // one attempt each, for both tenants: no result was lost and sent again after its lease
        assertEquals(
                0L,
                Db.count(
                        "SELECT count(*) FROM delivery WHERE tenant IN (?, ?) AND attempts <> 1",
                        api.tenant,
                        victim.tenant));
        assertEquals(events, hostile.count());
        assertEquals(
                (long) events,
                Db.count(
                        "SELECT count(*) FROM delivery_attempt a JOIN delivery d "
                                + "ON d.id = a.delivery_id WHERE d.tenant = ? AND a.response_body = ?",
                        api.tenant,
                        "ok\uFFFDok"));
    }
}
