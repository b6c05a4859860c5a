package io.hookline.send;

import io.hookline.crypto.WebhookSecret;
import io.hookline.queue.Claim;
import io.hookline.queue.Outcome;
import io.hookline.retry.RetryPolicy;
import io.hookline.store.ErrorClass;
import io.hookline.testsupport.UnitTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What an attempt puts on the wire and how its answer is judged, without a network. */
@UnitTest
class AttemptsTest {
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final Attempts attempts = new Attempts(
            null,
            new RetryPolicy(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5)), 0, clock, () -> 0L),
            clock,
            "X-Acme",
            "Acme-Webhooks/2");
    final Claim claim = new Claim(
            "dlv_1",
            "evt_1",
            "wh_1",
            "t",
            1,
            7,
            NOW.plusSeconds(40),
            "invoice.paid",
            "{\"a\":1}".getBytes(StandardCharsets.UTF_8),
            "https://example.com",
            true,
            NOW,
            null);

    @Test
    void the_header_prefix_and_user_agent_are_configurable() {
        Map<String, String> headers = attempts.headers(claim, List.of(WebhookSecret.generate()), 1_700_000_000L);
        assertEquals("Acme-Webhooks/2", headers.get("User-Agent"));
        assertEquals("dlv_1", headers.get("X-Acme-Delivery"));
        assertEquals("invoice.paid", headers.get("X-Acme-Event"));
        assertTrue(headers.get("X-Acme-Signature").matches("[0-9a-f]{64}"));
        assertEquals("evt_1", headers.get("webhook-id"));
        assertEquals("1700000000", headers.get("webhook-timestamp"));
        assertTrue(headers.get("webhook-signature").startsWith("v1,"));
    }

    @Test
    void answers_are_judged_by_status() {
        assertInstanceOf(Outcome.Succeeded.class, judge(new SendResult(204, "", 3, null, null, null), 1));
        Outcome retry = judge(new SendResult(500, "", 3, ErrorClass.HTTP_STATUS, "answered 500", null), 1);
        assertEquals(NOW.plusSeconds(5), ((Outcome.Retry) retry).nextAttemptAt());
        Outcome gone = judge(new SendResult(410, "", 3, ErrorClass.HTTP_STATUS, "answered 410", null), 1);
        assertTrue(((Outcome.Failed) gone).gone());
        Outcome last = judge(new SendResult(500, "", 3, ErrorClass.HTTP_STATUS, "answered 500", null), 3);
        assertInstanceOf(Outcome.Failed.class, last);
        Outcome throttled = judge(new SendResult(429, "", 3, ErrorClass.HTTP_STATUS, "answered 429", "12"), 1);
        assertEquals(NOW.plusSeconds(12), ((Outcome.Retry) throttled).nextAttemptAt());
        // Retry-After only counts on 429 and 503
        Outcome ignored = judge(new SendResult(500, "", 3, ErrorClass.HTTP_STATUS, "answered 500", "12"), 1);
        assertEquals(NOW.plusSeconds(5), ((Outcome.Retry) ignored).nextAttemptAt());
    }

    private Outcome judge(SendResult result, int attempt) {
        Claim c = new Claim(
                claim.deliveryId(),
                claim.eventId(),
                claim.webhookId(),
                claim.tenant(),
                attempt,
                claim.leaseToken(),
                claim.leaseUntil(),
                claim.eventType(),
                claim.body(),
                claim.url(),
                true,
                NOW,
                null);
        return attempts.judge(c, result, NOW, true);
    }
}
