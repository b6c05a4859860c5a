package io.hookline.api;

import io.hookline.contract.Problem;
import io.hookline.contract.TenantName;
import io.hookline.contract.Text;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Finishes the generated document so that it describes the wire, for the clients generated from it:
 * <ul>
 * <li>the problem answers each operation can give (and only those), with {@code Retry-After} on 429 and 503;</li>
 * <li>the rate-limit headers on every answer of a counted request;</li>
 * <li>the {@code Hookline-Tenant} header, one reusable parameter, on every tenant-scoped operation (every /v1 one but
 * the admin ones);</li>
 * <li>Java's {@code Instant} as what it is on the wire, an RFC 3339 string (not a component named after a Java
 * class);</li>
 * <li>nullable fields as a type that admits null (with null in an enum), once;</li>
 * <li>a relative server, so that clients call the host they were pointed at.</li>
 * </ul>
 */
public class OpenApiFilter implements OASFilter {
    private static final String RETRY_AFTER = "Retry-After";
    private static final List<String> RATE_LIMIT_HEADERS =
            List.of("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset");
    private static final String TENANT_PARAMETER = "HooklineTenant";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getServers() == null || openAPI.getServers().isEmpty()) {
            openAPI.addServer(
                    OASFactory.createServer().url("/").description("The Hookline service that serves this document"));
        }
        tidyAll(openAPI);
        Components components = openAPI.getComponents();
        if (components == null) {
            return;
        }
        components.removeSchema("Instant");
        components.addHeader(RETRY_AFTER, header("Seconds to wait before trying again", 5));
        components.addHeader(
                "X-RateLimit-Limit", header("Requests the tenant's bucket holds when full (the burst)", 2000));
        components.addHeader("X-RateLimit-Remaining", header("Requests left in the bucket after this one", 1999));
        components.addHeader("X-RateLimit-Reset", header("Seconds until the bucket is full again", 1));
        components.addParameter(TENANT_PARAMETER, tenantParameter());
        if (openAPI.getPaths() == null) {
            return;
        }
        for (var path : openAPI.getPaths().getPathItems().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op :
                    path.getValue().getOperations().entrySet()) {
                if (op.getValue().getOperationId() != null && path.getKey().startsWith("/v1/")) {
                    if (tenantScoped(path.getKey())) {
                        op.getValue().addParameter(OASFactory.createParameter().ref(TENANT_PARAMETER));
                    }
                    describeAnswers(path.getKey(), op.getKey(), op.getValue());
                }
            }
        }
    }

    /** Rewrites each schema in place, children first: see the class comment. */
    private static void tidy(Schema schema) {
        if (schema == null) {
            return;
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(OpenApiFilter::tidy);
        }
        tidy(schema.getItems());
        if (schema.getAnyOf() != null) {
            schema.getAnyOf().forEach(OpenApiFilter::tidy);
        }
        if (schema.getRef() != null && schema.getRef().endsWith("/Instant")) {
            schema.setRef(null);
            schema.setType(List.of(Schema.SchemaType.STRING));
            schema.setFormat("date-time");
            schema.setExamples(List.of("2026-11-30T10:15:30.123Z"));
        }
        // a $ref says it all: a type beside it (Quarkus adds "object") would contradict an enum
        if (schema.getRef() != null && schema.getType() != null) {
            schema.setType(null);
        }
        // nullable date-time: Quarkus writes type [string, null] and anyOf [date-time, null]; one is enough
        if (schema.getAnyOf() != null
                && schema.getAnyOf().size() == 2
                && schema.getType() != null
                && schema.getType().contains(Schema.SchemaType.NULL)) {
            Schema value = schema.getAnyOf().get(0);
            if (value.getRef() == null && value.getFormat() != null) {
                schema.setFormat(value.getFormat());
                schema.setExamples(value.getExamples());
                schema.setAnyOf(null);
            }
        }
        // a nullable enum must list null among its values, or null fails validation
        if (schema.getEnumeration() != null
                && schema.getType() != null
                && schema.getType().contains(Schema.SchemaType.NULL)
                && !schema.getEnumeration().contains(null)) {
            List<Object> values = new ArrayList<>(schema.getEnumeration());
            values.add(null);
            schema.setEnumeration(values);
        }
    }

    private static void tidyAll(OpenAPI openAPI) {
        if (openAPI.getComponents() != null && openAPI.getComponents().getSchemas() != null) {
            openAPI.getComponents().getSchemas().values().forEach(OpenApiFilter::tidy);
        }
        if (openAPI.getPaths() == null) {
            return;
        }
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            for (Operation op : item.getOperations().values()) {
                if (op.getParameters() != null) {
                    op.getParameters().forEach(p -> tidy(p.getSchema()));
                }
                if (op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
                    op.getRequestBody().getContent().getMediaTypes().values().forEach(m -> tidy(m.getSchema()));
                }
                if (op.getResponses() != null) {
                    op.getResponses().getAPIResponses().values().stream()
                            .filter(r -> r.getContent() != null)
                            .forEach(
                                    r -> r.getContent().getMediaTypes().values().forEach(m -> tidy(m.getSchema())));
                }
            }
        }
    }

    /**
     * The problem answers an operation can give: every /v1 call can be refused as malformed (400), unauthenticated
     * (401), forbidden (403), over the rate limit (429) or met with an unavailable database or identity provider
     * (503); one with a path id can name an unknown object (404); one with a body or query parameters can break a
     * rule (422), and a body can be too large (413) or not JSON (415).
     */
    private static void describeAnswers(String path, PathItem.HttpMethod method, Operation operation) {
        resolveRoleExpressions(operation);
        APIResponses responses = operation.getResponses();
        boolean hasBody = operation.getRequestBody() != null;
        boolean hasQuery = operation.getParameters() != null
                && operation.getParameters().stream().anyMatch(p -> p.getIn() == Parameter.In.QUERY);
        Map<String, String> problems = new LinkedHashMap<>();
        boolean tenantScoped = tenantScoped(path);
        problems.put(
                "400",
                tenantScoped
                        ? "Malformed request: unreadable JSON, a parameter that cannot be read, a malformed "
                                + "Hookline-Tenant, or a platform-role token that names no tenant in Hookline-Tenant"
                        : "Malformed request: unreadable JSON, or a parameter that cannot be read");
        problems.put("401", "Missing or invalid bearer token");
        problems.put(
                "403",
                tenantScoped
                        ? "The token has no tenant claim and no platform role, or names in Hookline-Tenant a tenant "
                                + "it may not act for"
                        : "The token lacks the role");
        if (path.contains("{")) {
            problems.put("404", "No such object for this tenant");
        }
        if (hasBody) {
            problems.put("413", "Request body too large");
            problems.put("415", "The body is not application/json");
        }
        if (hasBody || hasQuery) {
            problems.put("422", "A field or parameter breaks a rule; `errors` names each one");
        }
        problems.put("429", "Rate limit exceeded; see Retry-After");
        problems.put("503", "The database or the identity provider cannot be reached; see Retry-After");
        problems.forEach((status, description) -> {
            APIResponse existing = responses.getAPIResponse(status);
            // Quarkus adds bare 400/401/403 answers by itself; give them the problem body
            if (existing == null || existing.getContent() == null) {
                responses.addAPIResponse(status, problem(description));
            }
        });
        for (Map.Entry<String, APIResponse> answer : responses.getAPIResponses().entrySet()) {
            APIResponse response = answer.getValue();
            if (answer.getKey().equals("429") || answer.getKey().equals("503")) {
                response.addHeader(RETRY_AFTER, ref(RETRY_AFTER));
            }
            if (!answer.getKey().equals("401")) {
                RATE_LIMIT_HEADERS.forEach(h -> response.addHeader(h, ref(h)));
            }
        }
        // keep the answers in status order, so the document reads (and diffs) well
        List<String> order = new ArrayList<>(responses.getAPIResponses().keySet());
        order.sort(String::compareTo);
        Map<String, APIResponse> sorted = new LinkedHashMap<>();
        order.forEach(k -> sorted.put(k, responses.getAPIResponse(k)));
        responses.setAPIResponses(sorted);
    }

    /** Every path parameter is an id: a longer one cannot exist and is answered 404 (see {@link InputGuard}). */
    @Override
    public Parameter filterParameter(Parameter parameter) {
        if (parameter.getIn() == Parameter.In.PATH
                && parameter.getSchema() != null
                && parameter.getSchema().getMaxLength() == null) {
            parameter.getSchema().setMaxLength(Text.MAX_ID);
        }
        return parameter;
    }

    /**
     * @RolesAllowed("${hookline.dispatcher.admin-role:…}") reaches the document as the expression itself; show the role
     * name as it is configured.
     */
    private static void resolveRoleExpressions(Operation operation) {
        if (operation.getSecurity() == null) {
            return;
        }
        for (var requirement : operation.getSecurity()) {
            if (requirement.getScheme("bearer") != null) {
                List<String> scopes = requirement.getScheme("bearer").stream()
                        .map(s -> s.startsWith("${")
                                ? ConfigProvider.getConfig()
                                        .getOptionalValue("hookline.dispatcher.admin-role", String.class)
                                        .orElse("hookline-admin")
                                : s)
                        .toList();
                requirement.addScheme("bearer", scopes);
            }
        }
    }

    /** Operations that act for a tenant: every /v1 one but the operator's. */
    private static boolean tenantScoped(String path) {
        return path.startsWith("/v1/") && !path.startsWith("/v1/admin/");
    }

    private static Parameter tenantParameter() {
        return OASFactory.createParameter()
                .name("Hookline-Tenant")
                .in(Parameter.In.HEADER)
                .required(false)
                .description("The tenant to act for. Required with a token carrying the platform role (`"
                        + ConfigProvider.getConfig()
                                .getOptionalValue("hookline.platform-role", String.class)
                                .orElse("hookline-platform")
                        + "`), which may name any tenant; a tenant's own token may leave it out or name its own "
                        + "tenant only (another one is a 403). "
                        + TenantName.RULE.substring(0, 1).toUpperCase()
                        + TenantName.RULE.substring(1) + ".")
                .example("acme")
                .schema(OASFactory.createSchema()
                        .addType(Schema.SchemaType.STRING)
                        .minLength(1)
                        .maxLength(TenantName.MAX_LENGTH)
                        .pattern(TenantName.PATTERN));
    }

    private static Header header(String description, int example) {
        return OASFactory.createHeader()
                .description(description)
                .example(example)
                .schema(OASFactory.createSchema()
                        .addType(Schema.SchemaType.INTEGER)
                        .minimum(BigDecimal.ZERO));
    }

    private static Header ref(String name) {
        return OASFactory.createHeader().ref(name);
    }

    private static APIResponse problem(String description) {
        Content content = OASFactory.createContent()
                .addMediaType(
                        Problem.MEDIA_TYPE,
                        OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref("Problem")));
        return OASFactory.createAPIResponse().description(description).content(content);
    }
}
