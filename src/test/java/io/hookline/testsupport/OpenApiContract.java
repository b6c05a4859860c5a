package io.hookline.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.restassured.filter.FilterContext;
import io.restassured.filter.OrderedFilter;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Holds every answer of the API test suite to the committed document, openapi/openapi.yaml: an answer whose status,
 * content type or body the document does not describe fails the test that got it, and so does a request the service
 * accepted (2xx) that the document says is invalid. Registered for every test by {@link ContractCallback}.
 * <p>
 * Schemas are checked by networknt's json-schema-validator with its OpenAPI 3.1 dialect (JSON Schema 2020-12), the
 * dialect the document is written in.
 */
public final class OpenApiContract implements OrderedFilter {
    static final Path DOCUMENT = Path.of("openapi", "openapi.yaml");
    private static final String BASE = "https://contract.hookline.test/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final List<Route> routes = new ArrayList<>();
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private record Route(String template, Pattern pattern, String method, JsonNode operation, int literals) {}

    public OpenApiContract() {
        try {
            document = new YAMLMapper().readTree(Files.readString(DOCUMENT));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DOCUMENT, e);
        }
        String json = document.toString();
        registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), b -> b.schemas(Map.of(BASE, json)));
        document.get("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
                    if (op.getValue().has("responses")) {
                        String regex = Pattern.quote(path.getKey()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
                        int literals = path.getKey().replaceAll("\\{[^}]+}", "").length();
                        routes.add(new Route(
                                path.getKey(),
                                Pattern.compile(regex),
                                op.getKey().toUpperCase(Locale.ROOT),
                                op.getValue(),
                                literals));
                    }
                }));
        // a literal segment wins over a template (/v1/events/batch before /v1/events/{id})
        routes.sort(Comparator.comparingInt(Route::literals).reversed());
    }

    @Override
    public int getOrder() {
        return OrderedFilter.HIGHEST_PRECEDENCE;
    }

    @Override
    public Response filter(
            FilterableRequestSpecification request,
            FilterableResponseSpecification responseSpec,
            FilterContext context) {
        Response response = context.next(request, responseSpec);
        String path = URI.create(request.getURI()).getRawPath();
        Route route = routes.stream()
                .filter(r -> r.method.equals(request.getMethod())
                        && r.pattern.matcher(path).matches())
                .findFirst()
                .orElse(null);
        if (route == null) {
            return response; // not part of the API (health, metrics, a method the path does not have)
        }
        String where = request.getMethod() + " " + path + " ("
                + route.operation.path("operationId").asText() + ")";
        String status = Integer.toString(response.statusCode());
        JsonNode answers = route.operation.get("responses");
        String answerKey = answers.has(status) ? status : answers.has("default") ? "default" : null;
        if (answerKey == null) {
            throw new AssertionError(where + " answered " + status + ", which openapi/openapi.yaml does not describe; "
                    + "body: " + abbreviate(response.asString()));
        }
        JsonNode answer = answers.get(answerKey);
        String body = response.asString();
        if (!body.isEmpty()) {
            String mediaType = mediaType(response.contentType());
            JsonNode content = answer.path("content");
            if (!content.has(mediaType)) {
                throw new AssertionError(where + " answered " + status + " with " + mediaType
                        + ", but the document lists " + names(content) + " for it; body: " + abbreviate(body));
            }
            check(
                    where + " answered " + status,
                    operationPointer(route) + "/responses/" + answerKey + "/content/" + escape(mediaType) + "/schema",
                    body);
        } else if (answer.has("content") && response.statusCode() != 204) {
            throw new AssertionError(where + " answered " + status + " without a body, but the document describes one");
        }
        if (response.statusCode() / 100 == 2 && !refusedItems(route, response)) {
            checkRequest(request, route, where);
        }
        return response;
    }

    /**
     * A batch publish answers 200 with a problem for each event it refused, and the events it refuses are exactly
     * the ones the schema would: the request is checked against the document only when every event was accepted.
     */
    private static boolean refusedItems(Route route, Response response) {
        if (!route.operation.path("operationId").asText().equals("publishEventBatch")) {
            return false;
        }
        List<Integer> statuses = response.jsonPath().getList("results.status", Integer.class);
        return statuses != null && statuses.stream().anyMatch(s -> s != 202);
    }

    /** A request the service accepted must be one the document allows: its body and its query parameters. */
    private void checkRequest(FilterableRequestSpecification request, Route route, String where) {
        for (String name : request.getQueryParams().keySet()) {
            boolean documented = false;
            for (JsonNode p : route.operation.path("parameters")) {
                documented |= p.path("in").asText().equals("query")
                        && p.path("name").asText().equals(name);
            }
            if (!documented) {
                throw new AssertionError(
                        where + " accepted the query parameter '" + name + "', which the document does not list");
            }
        }
        Object sent = request.getBody();
        if (sent == null || !route.operation.has("requestBody")) {
            return;
        }
        String text = sent instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : sent.toString();
        if (text.isBlank()) {
            return;
        }
        String mediaType = mediaType(request.getContentType());
        if (!route.operation.path("requestBody").path("content").has(mediaType)) {
            throw new AssertionError(where + " accepted a " + mediaType + " body, which the document does not list");
        }
        check(
                where + " accepted a request body that",
                operationPointer(route) + "/requestBody/content/" + escape(mediaType) + "/schema",
                text);
    }

    private static String operationPointer(Route route) {
        return "#/paths/" + escape(route.template) + "/" + route.method.toLowerCase(Locale.ROOT);
    }

    private void check(String what, String pointer, String body) {
        JsonNode instance;
        try {
            instance = JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(what + " is not JSON: " + abbreviate(body));
        }
        Schema schema = schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(BASE + p)));
        List<Error> errors = schema.validate(instance);
        if (!errors.isEmpty()) {
            throw new AssertionError(what + " does not match its schema in openapi/openapi.yaml (" + pointer + "): "
                    + errors.stream().map(Error::toString).toList() + "; body: " + abbreviate(body));
        }
    }

    private static String mediaType(String contentType) {
        if (contentType == null || contentType.isEmpty()) {
            return "(none)";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(Locale.ROOT);
    }

    private static String escape(String pointerPart) {
        return pointerPart.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String abbreviate(String s) {
        return s.length() <= 600 ? s : s.substring(0, 600) + "…";
    }
}
