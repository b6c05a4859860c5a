package io.hookline.ingest;

import com.standardwebhooks.Webhook;
import io.hookline.testsupport.UnitTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The Standard Webhooks scheme, with signatures made by the reference Java library ({@code com.standardwebhooks:
 * standardwebhooks}, {@code Webhook.sign}), and the specification's published example.
 */
@UnitTest
class StandardWebhooksSignatureTest {
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long NOW = 1_614_265_330L;
    static final String BODY = "{\"type\":\"invoice.paid\",\"data\":{\"amount\":4200,\"note\":\"Zoë — 東京\"}}";

    static String librarySigns(String secret, String id, long timestamp, String body) throws Exception {
        return new Webhook(secret).sign(id, timestamp, body);
    }

    static void verify(String id, long timestamp, String signature, String body) {
        StandardWebhooksSignature.verify(
                new ProviderSecret(SECRET),
                id,
                Long.toString(timestamp),
                signature,
                body.getBytes(StandardCharsets.UTF_8),
                NOW,
                300);
    }

    @Test
    void a_request_signed_by_the_reference_library_verifies() throws Exception {
        String signature = librarySigns(SECRET, ID, NOW, BODY);
        assertDoesNotThrow(() -> verify(ID, NOW, signature, BODY));
    }

    @Test
    void the_specifications_published_example_verifies() {
        assertDoesNotThrow(
                () -> verify(ID, NOW, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "{\"test\": 2432232314}"));
    }

    @Test
    void any_v1_entry_may_match_and_other_versions_are_ignored() throws Exception {
        String good = librarySigns(SECRET, ID, NOW, BODY);
        String other = librarySigns("whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY", ID, NOW, BODY);
        assertDoesNotThrow(() -> verify(ID, NOW, other + " " + good, BODY));
        assertDoesNotThrow(() -> verify(ID, NOW, "v1a,abc " + good, BODY));
        Rejected onlyOther = assertThrows(Rejected.class, () -> verify(ID, NOW, "v2," + good.substring(3), BODY));
        assertEquals(Reason.MISSING_SIGNATURE, onlyOther.reason());
    }

    @Test
    void the_id_timestamp_and_body_are_all_signed() throws Exception {
        String signature = librarySigns(SECRET, ID, NOW, BODY);
        assertEquals(
                Reason.BAD_SIGNATURE,
                assertThrows(Rejected.class, () -> verify("msg_other", NOW, signature, BODY))
                        .reason());
        assertEquals(
                Reason.BAD_SIGNATURE,
                assertThrows(Rejected.class, () -> verify(ID, NOW - 1, signature, BODY))
                        .reason());
        assertEquals(
                Reason.BAD_SIGNATURE,
                assertThrows(Rejected.class, () -> verify(ID, NOW, signature, BODY + " "))
                        .reason());
    }

    @Test
    void a_timestamp_outside_the_tolerance_is_stale_either_way() throws Exception {
        for (long t : new long[] {NOW - 301, NOW + 301}) {
            String signature = librarySigns(SECRET, ID, t, BODY);
            assertEquals(
                    Reason.STALE_TIMESTAMP,
                    assertThrows(Rejected.class, () -> verify(ID, t, signature, BODY))
                            .reason());
        }
        String edge = librarySigns(SECRET, ID, NOW - 300, BODY);
        assertDoesNotThrow(() -> verify(ID, NOW - 300, edge, BODY));
    }

    @Test
    void missing_headers_are_a_missing_signature() {
        ProviderSecret secret = new ProviderSecret(SECRET);
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        for (String[] h :
                new String[][] {{null, "1", "v1,x"}, {ID, null, "v1,x"}, {ID, "1", null}, {ID, "soon", "v1,x"}}) {
            Rejected r = assertThrows(
                    Rejected.class, () -> StandardWebhooksSignature.verify(secret, h[0], h[1], h[2], body, NOW, 300));
            assertEquals(Reason.MISSING_SIGNATURE, r.reason());
        }
    }
}
