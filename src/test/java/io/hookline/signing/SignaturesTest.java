package io.hookline.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.crypto.WebhookSecret;
import io.hookline.testsupport.UnitTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks the signatures against src/test/resources/signing/vectors.json, computed with node:crypto and openssl. */
@UnitTest
class SignaturesTest {
    private static final JsonNode FILE = load();

    private static JsonNode load() {
        try (InputStream in = SignaturesTest.class.getResourceAsStream("/signing/vectors.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> vectors() {
        return StreamSupport.stream(FILE.get("vectors").spliterator(), false)
                .map(v -> Arguments.of(v.get("name").asText(), v));
    }

    private static byte[] body(JsonNode v) {
        return v.get("body").asText().getBytes(StandardCharsets.UTF_8);
    }

    private static WebhookSecret secret(String value) {
        return WebhookSecret.of(value);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void the_hex_signature_matches_the_externally_computed_vector(String name, JsonNode v) {
        assertEquals(
                v.get("hex").asText(), Signatures.hex(secret(v.get("secret").asText()), body(v)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void the_standard_webhooks_signature_matches_the_externally_computed_vector(String name, JsonNode v) {
        String header = Signatures.standardWebhooks(
                List.of(secret(v.get("secret").asText())),
                v.get("msgId").asText(),
                v.get("timestamp").asLong(),
                body(v));
        assertEquals(v.get("standardWebhooks").asText(), header);
    }

    @Test
    void the_vectors_include_the_example_published_by_the_standard_webhooks_specification() {
        JsonNode published = vectors()
                .map(a -> (JsonNode) a.get()[1])
                .filter(v -> v.get("secret").asText().equals("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .findFirst()
                .orElseThrow();
        assertEquals("msg_p5jXN8AQM9LWM0D4loKWxJek", published.get("msgId").asText());
        assertEquals(1614265330L, published.get("timestamp").asLong());
        assertEquals("{\"test\": 2432232314}", published.get("body").asText());
        assertEquals(
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                published.get("standardWebhooks").asText());
    }

    @Test
    void a_trailing_newline_is_signed_as_part_of_the_body() {
        JsonNode v = vectors()
                .map(a -> (JsonNode) a.get()[1])
                .filter(n -> n.get("body").asText().endsWith("\n"))
                .findFirst()
                .orElseThrow();
        String trimmed = v.get("body").asText().strip();
        WebhookSecret s = secret(v.get("secret").asText());
        assertEquals(v.get("hex").asText(), Signatures.hex(s, body(v)));
        assertNotEquals(v.get("hex").asText(), Signatures.hex(s, trimmed.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void with_two_secrets_the_header_has_two_entries_newest_first_each_verifying_on_its_own() {
        JsonNode r = FILE.get("rotation");
        WebhookSecret newest = secret(r.get("secretsNewestFirst").get(0).asText());
        WebhookSecret previous = secret(r.get("secretsNewestFirst").get(1).asText());
        String id = r.get("msgId").asText();
        long ts = r.get("timestamp").asLong();
        byte[] body = r.get("body").asText().getBytes(StandardCharsets.UTF_8);

        String header = Signatures.standardWebhooks(List.of(newest, previous), id, ts, body);

        String[] entries = header.split(" ", -1);
        assertEquals(2, entries.length, header);
        assertTrue(Arrays.stream(entries).allMatch(e -> e.startsWith("v1,")), header);
        assertEquals(r.get("signatures").get(0).asText(), entries[0]);
        assertEquals(r.get("signatures").get(1).asText(), entries[1]);
        // A receiver that knows only one of the two secrets finds its own signature in the header.
        assertEquals(entries[0], Signatures.standardWebhooks(List.of(newest), id, ts, body));
        assertEquals(entries[1], Signatures.standardWebhooks(List.of(previous), id, ts, body));
    }
}
