package io.hookline.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.testsupport.UnitTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GitHub's scheme and the plain hex scheme against src/test/resources/ingest/vectors.json, whose signatures were
 * computed with node and openssl (make-vectors.mjs beside it), including GitHub's documented example.
 */
@UnitTest
class OutsideVectorsTest {
    static final JsonNode VECTORS = load();

    static JsonNode load() {
        try (InputStream in = OutsideVectorsTest.class.getResourceAsStream("/ingest/vectors.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void github_signatures_computed_outside_java_verify_and_any_change_fails() {
        assertTrue(VECTORS.get("github").size() >= 3);
        for (JsonNode v : VECTORS.get("github")) {
            ProviderSecret secret = new ProviderSecret(v.get("secret").asText());
            byte[] body = v.get("body").asText().getBytes(StandardCharsets.UTF_8);
            String signature = v.get("signature256").asText();
            assertDoesNotThrow(
                    () -> GithubSignature.verify(secret, signature, body),
                    v.get("name").asText());
            byte[] changed = (v.get("body").asText() + "\n").getBytes(StandardCharsets.UTF_8);
            assertEquals(
                    Reason.BAD_SIGNATURE,
                    assertThrows(Rejected.class, () -> GithubSignature.verify(secret, signature, changed))
                            .reason());
            assertEquals(
                    Reason.MISSING_SIGNATURE,
                    assertThrows(Rejected.class, () -> GithubSignature.verify(secret, signature.substring(7), body))
                            .reason(),
                    "the sha256= prefix is required");
        }
    }

    @Test
    void github_requests_are_identified_by_their_delivery_and_typed_by_their_event_header() {
        JsonNode v = VECTORS.get("github").get(0);
        Received received = Verification.verify(
                Provider.GITHUB,
                new ProviderSecret(v.get("secret").asText()),
                null,
                name -> switch (name) {
                    case GithubSignature.HEADER -> v.get("signature256").asText();
                    case GithubSignature.DELIVERY -> v.get("delivery").asText();
                    case GithubSignature.EVENT -> v.get("event").asText();
                    default -> null;
                },
                v.get("body").asText().getBytes(StandardCharsets.UTF_8),
                0,
                300);
        assertEquals(new Received("72d3162e-cc78-11e3-81ab-4c9367dc0958", "push"), received);
    }

    @Test
    void hmac_sha256_signatures_computed_outside_java_verify_with_or_without_the_prefix() {
        for (JsonNode v : VECTORS.get("hmacSha256")) {
            ProviderSecret secret = new ProviderSecret(v.get("secret").asText());
            byte[] body = v.get("body").asText().getBytes(StandardCharsets.UTF_8);
            String header = v.get("header").asText();
            String hex = v.get("signature").asText();
            assertDoesNotThrow(() -> HmacSignature.verify(secret, header, hex, body));
            assertDoesNotThrow(() -> HmacSignature.verify(secret, header, "sha256=" + hex, body));
            assertEquals(
                    Reason.BAD_SIGNATURE,
                    assertThrows(
                                    Rejected.class,
                                    () -> HmacSignature.verify(new ProviderSecret("another-key"), header, hex, body))
                            .reason());
            assertEquals(
                    Reason.MISSING_SIGNATURE,
                    assertThrows(Rejected.class, () -> HmacSignature.verify(secret, header, null, body))
                            .reason());
        }
    }
}
