package io.hookline.ingest;

import com.stripe.net.Webhook;
import io.hookline.testsupport.UnitTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a verified request is taken to be, and what signed but useless requests are refused as. */
@UnitTest
class VerificationTest {
    static final String SECRET = "whsec_test_9f8Qx2Lr0Tn4YbVw7KcE1uHs3Gd6Pj5a";
    static final long NOW = 1_733_000_000L;

    static Received stripe(String body) throws Exception {
        String header = "t=" + NOW + ",v1=" + Webhook.Util.computeHmacSha256(SECRET, NOW + "." + body);
        return Verification.verify(
                Provider.STRIPE,
                new ProviderSecret(SECRET),
                null,
                Map.of(StripeSignature.HEADER, header)::get,
                body.getBytes(StandardCharsets.UTF_8),
                NOW,
                300);
    }

    static Reason stripeRefuses(String body) {
        return assertThrows(Rejected.class, () -> stripe(body)).reason();
    }

    @Test
    void a_stripe_event_is_identified_by_its_evt_id_and_typed_by_its_type() throws Exception {
        assertEquals(
                new Received("evt_1", "customer.subscription.created"),
                stripe(
                        "{\"id\":\"evt_1\",\"data\":{\"object\":{\"id\":\"x\"}},\"type\":\"customer.subscription.created\"}"));
    }

    @Test
    void signed_but_not_an_event_is_malformed() {
        assertEquals(Reason.MALFORMED, stripeRefuses(""));
        assertEquals(Reason.MALFORMED, stripeRefuses("not json"));
        assertEquals(Reason.MALFORMED, stripeRefuses("{\"id\":\"evt_1\",\"type\":\"x\"} trailing"));
        assertEquals(Reason.MALFORMED, stripeRefuses("{\"id\":\"evt_1\",\"type\":"));
        assertEquals(Reason.MALFORMED, stripeRefuses("{\"type\":\"charge.succeeded\"}"));
        assertEquals(Reason.MALFORMED, stripeRefuses("{\"id\":5,\"type\":\"charge.succeeded\"}"));
        assertEquals(Reason.MALFORMED, stripeRefuses("{\"id\":\"evt_1\"}"));
        assertEquals(Reason.MALFORMED, stripeRefuses("{\"id\":\"" + "e".repeat(201) + "\",\"type\":\"t\"}"));
        assertEquals(Reason.MALFORMED, stripeRefuses("[1,2]"));
    }

    @Test
    void the_signature_is_checked_before_the_body_is_read() {
        Rejected r = assertThrows(
                Rejected.class,
                () -> Verification.verify(
                        Provider.STRIPE,
                        new ProviderSecret(SECRET),
                        null,
                        name -> null,
                        "not json".getBytes(StandardCharsets.UTF_8),
                        NOW,
                        300));
        assertEquals(Reason.MISSING_SIGNATURE, r.reason());
    }

    @Test
    void a_plain_hmac_request_is_identified_by_the_hash_of_its_body() {
        String body = "{\"status\":\"up\",\"n\":42}";
        // from src/test/resources/ingest/vectors.json (node and openssl)
        String hex = "881651cd163544032788aa9ec03d0a5d7b3b980aa557f0aafa964c2281b068a5";
        Received received = Verification.verify(
                Provider.HMAC_SHA256,
                new ProviderSecret("monitor-key-3Jd8"),
                "X-Signature",
                Map.of("X-Signature", hex)::get,
                body.getBytes(StandardCharsets.UTF_8),
                NOW,
                300);
        assertEquals(Verification.DEFAULT_TYPE, received.providerEventType());
        assertTrue(received.providerEventId().matches("sha256:[0-9a-f]{64}"), received.providerEventId());
    }
}
