package io.hookline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.contract.Problem;
import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.LogCapture;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the API accepts as a request body: JSON declared as such, up to 1 MiB, however it is framed. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class RequestBodyTest {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TestHTTPResource("/")
    URL base;

    final Api api = Api.newTenant();
    final String token = Tokens.forTenant(api.tenant);

    private HttpResponse<String> send(String method, String path, String contentType, HttpRequest.BodyPublisher body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path.substring(1)))
                .header("Authorization", "Bearer " + token)
                .method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(
                Problem.MEDIA_TYPE,
                response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(
                status,
                new ObjectMapper().readTree(response.body()).path("status").asInt(),
                response.body());
    }

    @Test
    void every_operation_that_takes_a_body_answers_415_to_a_body_without_content_type() throws Exception {
        JsonNode paths = new ObjectMapper()
                .readTree(given().accept("application/json")
                        .get("/q/openapi")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .path("paths");
        List<String> checked = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                // /ingest/{sourceId} takes whatever a provider sends (the signature, not the label, is checked)
                if (!op.getValue().has("requestBody") || !path.getKey().startsWith("/v1/")) {
                    continue;
                }
                String concrete = path.getKey().replaceAll("\\{[^}]+}", "wh_0");
                String method = op.getKey().toUpperCase();
                HttpResponse<String> response = send(method, concrete, null, HttpRequest.BodyPublishers.ofString("{}"));
                assertProblem(response, 415);
                assertProblem(send(method, concrete, "text/plain", HttpRequest.BodyPublishers.ofString("{}")), 415);
                checked.add(method + " " + path.getKey());
            }
        }
        assertTrue(
                checked.containsAll(List.of(
                        "POST /v1/webhooks",
                        "PATCH /v1/webhooks/{id}",
                        "POST /v1/events",
                        "POST /v1/webhooks/{id}/rotate")),
                "operations with a body: " + checked);
        assertEquals(0, Db.count("select count(*) from webhook where tenant = ?", api.tenant));
        assertEquals(0, Db.count("select count(*) from event where tenant = ?", api.tenant));
    }

    @Test
    void json_with_a_charset_parameter_is_json() throws Exception {
        HttpResponse<String> response = send(
                "POST",
                "/v1/webhooks",
                "application/json; charset=utf-8",
                HttpRequest.BodyPublishers.ofString("{\"url\":\"https://example.com/hook\"}"));
        assertEquals(201, response.statusCode(), response.body());
    }

    @Test
    void operations_without_a_body_need_no_content_type() throws Exception {
        try (Receiver receiver = Receiver.start()) {
            String id = api.createWebhook(receiver.url());
            HttpRequest.BodyPublisher none = HttpRequest.BodyPublishers.noBody();
            HttpResponse<String> rotated = send("POST", "/v1/webhooks/" + id + "/rotate", null, none);
            assertEquals(200, rotated.statusCode(), rotated.body());
            HttpResponse<String> tested = send("POST", "/v1/webhooks/" + id + "/test", null, none);
            assertEquals(200, tested.statusCode(), tested.body());
        }
        // past the Content-Type check: the delivery does not exist
        assertProblem(send("POST", "/v1/deliveries/dlv_0/redeliver", null, HttpRequest.BodyPublishers.noBody()), 404);
        HttpResponse<String> retention = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "v1/admin/retention"))
                        .header("Authorization", "Bearer " + Tokens.withGroups("t", "hookline-admin"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, retention.statusCode(), retention.body());
    }

    @Test
    void a_chunked_body_within_the_limit_is_read() throws Exception {
        String body = "{\"url\":\"https://example.com/chunked\",\"description\":\"" + "d".repeat(500) + "\"}";
        HttpResponse<String> response = send(
                "POST",
                "/v1/webhooks",
                "application/json",
                HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
        assertEquals(201, response.statusCode(), response.body());
    }

    @Test
    void a_chunked_body_over_one_mebibyte_gets_a_413_problem_and_no_stack_trace_in_the_log() throws Exception {
        // valid JSON all the way, so only the size can stop it: {"url":"…","description":"xxxx…(2 MiB)"}
        long filler = 2L * 1024 * 1024;
        HttpRequest.BodyPublisher twoMebibytes = HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                new SequenceInputStream(
                        new ByteArrayInputStream(
                                "{\"url\":\"https://example.com\",\"description\":\"".getBytes(StandardCharsets.UTF_8)),
                        repeated('x', filler)),
                new ByteArrayInputStream("\"}".getBytes(StandardCharsets.UTF_8))));
        HttpResponse<String> response;
        List<LogCapture.Line> logged;
        try (LogCapture log = LogCapture.start()) {
            response = send("POST", "/v1/webhooks", "application/json", twoMebibytes);
            // the 413 is answered before the rest of the body is read; what the server logs comes with it
            logged = log.warningsAndErrors();
        }
        assertProblem(response, 413);
        assertTrue(logged.size() <= 1 && logged.stream().allMatch(l -> l.thrown() == null), logged.toString());
        assertEquals(0, Db.count("select count(*) from webhook where tenant = ?", api.tenant));
        // the service is fine afterwards
        api.request().get("/v1/webhooks").then().statusCode(200);
    }

    private static InputStream repeated(char c, long count) {
        return new InputStream() {
            long left = count;

            @Override
            public int read() {
                return left-- > 0 ? c : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) c);
                left -= n;
                return n;
            }
        };
    }

    @Test
    void a_declared_length_over_one_mebibyte_is_refused_before_it_is_read() throws Exception {
        byte[] big = new byte[1024 * 1024 + 1];
        Arrays.fill(big, (byte) ' ');
        assertProblem(send("POST", "/v1/events", "application/json", HttpRequest.BodyPublishers.ofByteArray(big)), 413);
        api.request().get("/v1/webhooks").then().statusCode(200);
    }
}
