package io.hookline.ingest;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;
import io.hookline.testsupport.UnitTest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Stripe's scheme, with every signature made by Stripe's own library (stripe-java's {@code Webhook.Util
 * .computeHmacSha256}, the helper its {@code Webhook.constructEvent} verifies with), and every verdict compared with
 * that library's own {@code Webhook.Signature.verifyHeader}.
 */
@UnitTest
class StripeSignatureTest {
    static final String SECRET = "whsec_test_9f8Qx2Lr0Tn4YbVw7KcE1uHs3Gd6Pj5a";
    static final long NOW = 1_733_000_000L;
    static final long TOLERANCE = 300;
    static final String BODY = "{\"id\":\"evt_1PqRsTuVwXyZ0123\",\"object\":\"event\",\"type\":\"charge.succeeded\","
            + "\"data\":{\"object\":{\"id\":\"ch_3Pq\",\"amount\":4200,\"currency\":\"eur\",\"description\":\"café ☕\"}}}";

    static String stripeSigns(String secret, long t, String payload) throws Exception {
        return Webhook.Util.computeHmacSha256(secret, t + "." + payload);
    }

    static void verify(String header, String body) {
        StripeSignature.verify(
                new ProviderSecret(SECRET), header, body.getBytes(StandardCharsets.UTF_8), NOW, TOLERANCE);
    }

    /** Stripe's own library's verdict at the same instant and tolerance. */
    static boolean stripeAccepts(String header, String body) {
        try {
            return Webhook.Signature.verifyHeader(
                    body, header, SECRET, TOLERANCE, Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
        } catch (SignatureVerificationException e) {
            return false;
        }
    }

    static Reason reason(String header, String body) {
        return assertThrows(Rejected.class, () -> verify(header, body)).reason();
    }

    @Test
    void a_request_signed_by_stripes_library_verifies_as_stripe_verifies_it() throws Exception {
        String header = "t=" + NOW + ",v1=" + stripeSigns(SECRET, NOW, BODY);
        assertDoesNotThrow(() -> verify(header, BODY));
        assertEquals(true, stripeAccepts(header, BODY));
    }

    @Test
    void any_v1_may_match_and_v0_is_ignored() throws Exception {
        String good = stripeSigns(SECRET, NOW, BODY);
        String other = stripeSigns("whsec_the_previous_secret_of_a_roll", NOW, BODY);
        String rolled = "t=" + NOW + ",v1=" + other + ",v1=" + good + ",v0=" + other;
        assertDoesNotThrow(() -> verify(rolled, BODY));
        assertEquals(true, stripeAccepts(rolled, BODY));
        String v0Only = "t=" + NOW + ",v0=" + good;
        assertEquals(Reason.MISSING_SIGNATURE, reason(v0Only, BODY));
        assertEquals(false, stripeAccepts(v0Only, BODY));
    }

    @Test
    void a_wrong_secret_or_a_changed_byte_is_a_bad_signature() throws Exception {
        String wrongSecret = "t=" + NOW + ",v1=" + stripeSigns("whsec_not_this_endpoints_secret", NOW, BODY);
        assertEquals(Reason.BAD_SIGNATURE, reason(wrongSecret, BODY));
        assertEquals(false, stripeAccepts(wrongSecret, BODY));
        String header = "t=" + NOW + ",v1=" + stripeSigns(SECRET, NOW, BODY);
        String tampered = BODY.replace("4200", "4201");
        assertEquals(Reason.BAD_SIGNATURE, reason(header, tampered));
        assertEquals(false, stripeAccepts(header, tampered));
        // the timestamp is signed too: moving it breaks the signature
        String moved = "t=" + (NOW - 1) + ",v1=" + stripeSigns(SECRET, NOW, BODY);
        assertEquals(Reason.BAD_SIGNATURE, reason(moved, BODY));
    }

    @Test
    void the_timestamp_must_be_within_300_seconds() throws Exception {
        String edge = "t=" + (NOW - 300) + ",v1=" + stripeSigns(SECRET, NOW - 300, BODY);
        assertDoesNotThrow(() -> verify(edge, BODY));
        assertEquals(true, stripeAccepts(edge, BODY));
        String stale = "t=" + (NOW - 301) + ",v1=" + stripeSigns(SECRET, NOW - 301, BODY);
        assertEquals(Reason.STALE_TIMESTAMP, reason(stale, BODY));
        assertEquals(false, stripeAccepts(stale, BODY));
        // Stripe's library lets a future timestamp through; we hold it to the same window both ways
        String future = "t=" + (NOW + 301) + ",v1=" + stripeSigns(SECRET, NOW + 301, BODY);
        assertEquals(Reason.STALE_TIMESTAMP, reason(future, BODY));
    }

    @Test
    void a_missing_or_unreadable_header_is_a_missing_signature() throws Exception {
        String v1 = stripeSigns(SECRET, NOW, BODY);
        assertEquals(Reason.MISSING_SIGNATURE, reason(null, BODY));
        assertEquals(Reason.MISSING_SIGNATURE, reason("", BODY));
        assertEquals(Reason.MISSING_SIGNATURE, reason("v1=" + v1, BODY));
        assertEquals(Reason.MISSING_SIGNATURE, reason("t=yesterday,v1=" + v1, BODY));
        assertEquals(Reason.BAD_SIGNATURE, reason("t=" + NOW + ",v1=zz" + v1.substring(2), BODY));
        assertEquals(Reason.BAD_SIGNATURE, reason("t=" + NOW + ",v1=" + v1.substring(1), BODY));
    }

    @Test
    void an_upper_case_hex_signature_is_the_same_signature() throws Exception {
        String header = "t=" + NOW + ",v1=" + stripeSigns(SECRET, NOW, BODY).toUpperCase();
        assertDoesNotThrow(() -> verify(header, BODY));
    }
}
