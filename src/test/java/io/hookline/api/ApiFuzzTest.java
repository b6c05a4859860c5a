package io.hookline.api;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.RawHttp;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9, item 3: generated requests against every operation of openapi/openapi.yaml, with bodies built from its
 * schemas (and broken on purpose), hostile path ids and query strings. No answer may be a 5xx; a request answered
 * with an error changes none of the tenant's rows; another tenant's id never answers 2xx. The run is reproducible:
 * {@code -Dfuzz.seed=N} (the seed is in every failure message), {@code -Dfuzz.requests=N}.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class ApiFuzzTest {
    static final long SEED = Long.getLong("fuzz.seed", 9_2026_11_30L);
    static final int REQUESTS = Integer.getInteger("fuzz.requests", 2500);
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** ASCII-only JSON: a lone surrogate goes out as its \\uXXXX escape instead of being replaced on encoding. */
    static final ObjectWriter JSON_OUT = new ObjectMapper().writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    static final ObjectMapper JSON_IN = new ObjectMapper();

    /** The rows a request answered with an error must leave as they were (columns the dispatcher writes left out). */
    static final String FINGERPRINT = """
            SELECT (SELECT count(*) FROM webhook WHERE tenant = ?)
                || '/' || (SELECT count(*) FROM webhook_secret s JOIN webhook w ON w.id = s.webhook_id WHERE w.tenant = ?)
                || '/' || (SELECT count(*) FROM event WHERE tenant = ?)
                || '/' || (SELECT count(*) FROM delivery WHERE tenant = ?)
                || '/' || coalesce((SELECT md5(string_agg(id || url || coalesce(description, '')
                        || array_to_string(event_types, ',') || coalesce(revoked_at::text, ''), '|' ORDER BY id))
                    FROM webhook WHERE tenant = ?), '')
                || '/' || (SELECT count(*) FROM audit_entry WHERE tenant = ?)
                || '/' || coalesce((SELECT md5(string_agg(id || provider || coalesce(description, '')
                        || type_mapping::text || coalesce(signature_header, '') || coalesce(encode(ciphertext, 'hex'), '')
                        || coalesce(deleted_at::text, ''), '|' ORDER BY id))
                    FROM source WHERE tenant = ?), '')
                || '/' || (SELECT count(*) FROM source_request WHERE tenant = ?)
            """;

    record Param(String name, String in, JsonNode schema) {}

    record Operation(String id, String method, String path, List<Param> params, JsonNode body) {}

    record Sent(String method, String target, Map<String, String> headers, String body) {
        @Override
        public String toString() {
            return method + " " + FuzzValues.clip(target) + " " + headers.keySet() + " body " + FuzzValues.clip(body);
        }
    }

    final Random random = new Random(SEED);
    final FuzzValues values = new FuzzValues(random);
    final Api api = Api.newTenant();
    final Api other = Api.newTenant();
    final String admin = Tokens.withGroups(api.tenant, "hookline-admin");
    final String platform = Tokens.platform("fuzz-platform");
    final Map<String, List<String>> ids = new TreeMap<>();
    final List<String> otherIds = new ArrayList<>();
    JsonNode document;

    @Test
    void no_generated_request_gets_a_5xx_or_leaves_a_half_written_row() throws IOException {
        document = YAML.readTree(Path.of("openapi", "openapi.yaml").toFile());
        List<Operation> operations = operations();
        assertTrue(operations.size() >= 10, "read only " + operations.size() + " operations");
        Map<String, Integer> perOperation = new TreeMap<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        try (Receiver receiver = Receiver.start()) {
            values.validUrl = receiver.url();
            seed(receiver);
            for (int n = 0; n < REQUESTS && failures.size() < 20; n++) {
                Operation op = values.pick(operations);
                // a third of the requests are meant to get through, to reach what lies behind validation
                values.hostility = values.chance(0.35) ? 0.01 : 0.15;
                perOperation.merge(op.id(), 1, Integer::sum);
                boolean othersId = op.path().contains("{id}") && values.chance(0.05);
                Sent sent = request(op, othersId);
                String before = fingerprint();
                RawHttp.Answer answer;
                try {
                    answer = RawHttp.send(
                            RestAssured.port,
                            sent.method(),
                            sent.target(),
                            sent.headers(),
                            sent.body() == null ? null : sent.body().getBytes(StandardCharsets.UTF_8),
                            30_000);
                } catch (IOException e) {
                    failures.add("#" + n + " " + sent + " -> no answer: " + e.getMessage());
                    continue;
                }
                statuses.merge(answer.status(), 1, Integer::sum);
                String after = answer.status() >= 400 ? fingerprint() : before;
                if (answer.status() >= 500) {
                    failures.add(
                            "#" + n + " " + sent + " -> " + answer.status() + " " + FuzzValues.clip(answer.text()));
                } else if (!before.equals(after)) {
                    failures.add("#" + n + " " + sent + " -> " + answer.status() + " but rows changed " + before
                            + " -> " + after);
                } else if (othersId && answer.status() < 300) {
                    failures.add("#" + n + " " + sent + " -> " + answer.status() + " with another tenant's id");
                } else if (answer.status() < 300) {
                    remember(answer);
                }
            }
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        String summary = "seed " + SEED + ", " + REQUESTS + " requests in " + seconds + " s, statuses " + statuses
                + ", per operation " + perOperation;
        System.out.println("ApiFuzzTest: " + summary);
        assertTrue(failures.isEmpty(), summary + "\n" + String.join("\n", failures));
        assertEquals(operations.size(), perOperation.size(), "operations never tried: " + summary);
        assertTrue(
                statuses.entrySet().stream()
                                .filter(e -> e.getKey() < 300)
                                .mapToInt(Map.Entry::getValue)
                                .sum()
                        > REQUESTS / 20,
                "too few requests got past validation to mean much: " + summary);
        consistent();
    }

    /** Every operation of the document, with its parameters and its JSON body schema (resolved). */
    private List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        document.get("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
                    JsonNode op = method.getValue();
                    if (!op.has("operationId")) {
                        return;
                    }
                    List<Param> params = new ArrayList<>();
                    op.path("parameters").forEach(ref -> {
                        // a shared parameter (Hookline-Tenant) is a $ref to components/parameters
                        JsonNode p = ref.has("$ref")
                                ? document.at(ref.get("$ref").asText().substring(1))
                                : ref;
                        params.add(new Param(p.get("name").asText(), p.get("in").asText(), resolve(p.get("schema"))));
                    });
                    JsonNode body = resolve(op.path("requestBody")
                            .path("content")
                            .path("application/json")
                            .get("schema"));
                    operations.add(new Operation(
                            op.get("operationId").asText(),
                            method.getKey().toUpperCase(),
                            path.getKey(),
                            params,
                            body));
                }));
        return operations;
    }

    private JsonNode resolve(JsonNode schema) {
        if (schema == null || !schema.has("$ref")) {
            return schema;
        }
        String name = schema.get("$ref").asText().substring("#/components/schemas/".length());
        return document.path("components").path("schemas").get(name);
    }

    /** A few real objects of this tenant and another, so that ids in paths often exist. */
    private void seed(Receiver receiver) {
        for (int i = 0; i < 3; i++) {
            ids.computeIfAbsent("webhooks", k -> new ArrayList<>()).add(api.createWebhookWithSecret(receiver.url())[0]);
        }
        for (int i = 0; i < 2; i++) {
            String event = api.publish("fuzz.seed", "{\"n\":" + i + "}");
            ids.computeIfAbsent("events", k -> new ArrayList<>()).add(event);
            Db.query("select id from delivery where event_id = ?", event)
                    .forEach(row -> ids.computeIfAbsent("deliveries", k -> new ArrayList<>())
                            .add((String) row.get(0)));
        }
        // inbound sources (issue 13): their management API, and /ingest, whose unsigned requests must store nothing
        for (String provider : List.of("github", "stripe")) {
            ids.computeIfAbsent("sources", k -> new ArrayList<>())
                    .add(api.request()
                            .body("{\"provider\":\"" + provider + "\",\"secret\":\"whsec_fuzz-secret-1234\"}")
                            .post("/v1/sources")
                            .then()
                            .statusCode(201)
                            .extract()
                            .path("id"));
        }
        otherIds.add(other.request()
                .body("{\"provider\":\"github\",\"secret\":\"fuzz-secret-other\"}")
                .post("/v1/sources")
                .then()
                .statusCode(201)
                .extract()
                .path("id"));
        otherIds.add(other.createWebhookWithSecret(receiver.url())[0]);
        String theirs = other.publish("fuzz.seed", "{}");
        otherIds.add(theirs);
        otherIds.add((String) Db.query("select id from delivery where event_id = ?", theirs)
                .get(0)
                .get(0));
    }

    private Sent request(Operation op, boolean othersId) throws IOException {
        String path = op.path();
        Map<String, String> headers = new LinkedHashMap<>();
        StringBuilder query = new StringBuilder();
        for (Param p : op.params()) {
            switch (p.in()) {
                case "path" -> path = path.replace("{" + p.name() + "}", pathId(op.path(), othersId));
                case "query" -> {
                    if (values.chance(0.5)) {
                        String value = values.value(p.schema(), p.name(), this::resolve, 0)
                                .asText();
                        query.append(query.isEmpty() ? "?" : "&")
                                .append(p.name())
                                .append('=')
                                .append(values.wire(value));
                    }
                }
                case "header" -> {
                    if (values.chance(0.5)) {
                        // Hookline-Tenant mostly names the caller's own tenant, so the request still gets through
                        boolean own = p.name().equals("Hookline-Tenant") && values.chance(0.7);
                        headers.put(p.name(), own ? api.tenant : headerValue());
                    }
                }
                default -> {}
            }
        }
        if (values.hostile()) {
            query.append(query.isEmpty() ? "?" : "&")
                    .append(values.wire(values.pick(FuzzValues.HOSTILE)))
                    .append('=')
                    .append(values.wire(values.randomString(5)));
        }
        if (!values.hostile()) {
            // a platform backend acting for the same tenant: the same rows, reached through Hookline-Tenant
            boolean platform = !op.path().startsWith("/v1/admin") && values.chance(0.2);
            headers.put(
                    "Authorization",
                    "Bearer "
                            + (values.hostile()
                                    ? Tokens.withoutTenant()
                                    : op.path().startsWith("/v1/admin") && values.chance(0.3)
                                            ? admin
                                            : platform ? this.platform : api.token()));
            if (platform && !values.hostile()) {
                headers.putIfAbsent("Hookline-Tenant", api.tenant);
            }
        }
        String body = null;
        if (op.body() != null || values.hostile()) {
            body = body(op.body());
            if (!values.hostile()) {
                headers.put("Content-Type", values.hostile() ? "text/plain" : "application/json");
            }
        }
        return new Sent(op.method(), path + query, headers, body);
    }

    private String pathId(String template, boolean othersId) {
        if (othersId) {
            return values.pick(otherIds);
        }
        String kind = template.startsWith("/v1/events")
                ? "events"
                : template.startsWith("/v1/deliveries")
                        ? "deliveries"
                        : template.startsWith("/v1/sources") || template.startsWith("/ingest") ? "sources" : "webhooks";
        if (values.chance(values.hostility < 0.1 ? 0.95 : 0.5) && ids.containsKey(kind)) {
            return values.pick(ids.get(kind));
        }
        return values.wire(values.chance(0.5) ? values.pick(FuzzValues.HOSTILE) : values.randomString(8));
    }

    /** Header bytes are ISO-8859-1: what cannot be written as one of those is left out. */
    private String headerValue() {
        String value = values.chance(0.5) ? "key-" + random.nextInt(20) : values.pick(FuzzValues.HOSTILE);
        return value.chars().allMatch(c -> c >= 0x20 && c <= 0xff && c != 0x7f) ? value : "k";
    }

    private String body(JsonNode schema) throws IOException {
        int shape = values.hostile() ? random.nextInt(6) : 6;
        return switch (shape) {
            case 0 -> "";
            case 1 -> "{\"url\":";
            case 2 -> "[".repeat(1 + random.nextInt(3000));
            case 3 -> values.randomString(random.nextInt(100));
            case 4 -> "{\"a\":1}garbage";
            case 5 -> JSON_OUT.writeValueAsString(values.anyJson(0));
            default ->
                JSON_OUT.writeValueAsString(
                        schema == null ? values.anyJson(0) : values.object(schema, this::resolve, 0));
        };
    }

    private void remember(RawHttp.Answer answer) {
        try {
            JsonNode body = JSON_IN.readTree(answer.body());
            String id = body == null ? "" : body.path("id").asText("");
            String kind = id.startsWith("wh_")
                    ? "webhooks"
                    : id.startsWith("evt_")
                            ? "events"
                            : id.startsWith("dlv_") ? "deliveries" : id.startsWith("src_") ? "sources" : null;
            if (kind != null) {
                ids.computeIfAbsent(kind, k -> new ArrayList<>()).add(id);
            }
        } catch (IOException notJson) {
            // a 204, or a body without an id
        }
    }

    private String fingerprint() {
        return (String) Db.query(
                        FINGERPRINT,
                        api.tenant,
                        api.tenant,
                        api.tenant,
                        api.tenant,
                        api.tenant,
                        api.tenant,
                        api.tenant,
                        api.tenant)
                .get(0)
                .get(0);
    }

    /** What no sequence of answered requests may leave behind. */
    private void consistent() {
        assertEquals(
                0,
                Db.count(
                        "SELECT count(*) FROM webhook w WHERE w.tenant = ? AND w.revoked_at IS NULL AND "
                                + "(SELECT count(*) FROM webhook_secret s WHERE s.webhook_id = w.id AND s.expires_at IS NULL) <> 1",
                        api.tenant),
                "live webhooks without exactly one current secret");
        assertEquals(
                0,
                Db.count(
                        "SELECT count(*) FROM webhook w WHERE w.tenant = ? AND w.revoked_at IS NOT NULL AND "
                                + "EXISTS (SELECT 1 FROM webhook_secret s WHERE s.webhook_id = w.id)",
                        api.tenant),
                "revoked webhooks that kept a secret");
        assertEquals(
                0,
                Db.count(
                        "SELECT count(*) FROM delivery d WHERE d.tenant = ? AND NOT EXISTS "
                                + "(SELECT 1 FROM event e WHERE e.id = d.event_id AND e.tenant = d.tenant)",
                        api.tenant),
                "deliveries without an event of their tenant");
        // the fuzzer publishes no webhook.test events itself: each one is a test send's, stored with its delivery
        assertEquals(
                0,
                Db.count(
                        "SELECT count(*) FROM event e WHERE e.tenant = ? AND e.type = 'webhook.test' AND "
                                + "NOT EXISTS (SELECT 1 FROM delivery d WHERE d.event_id = e.id)",
                        api.tenant),
                "test events without their delivery");
        assertEquals(
                0,
                Db.count(
                        "SELECT count(*) FROM delivery d JOIN webhook w ON w.id = d.webhook_id "
                                + "WHERE d.tenant = ? AND w.tenant <> d.tenant",
                        api.tenant),
                "deliveries to another tenant's webhook");
    }
}
