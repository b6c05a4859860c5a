package io.hookline.api;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the problem answers every /v1 operation can give, so generated clients know the error body, without
 * repeating eight annotations on every method.
 */
public class OpenApiFilter implements OASFilter {
    private static final Map<String, String> PROBLEMS = Map.of(
            "400", "Malformed request (unreadable JSON, bad parameter)",
            "401", "Missing or invalid bearer token",
            "403", "The token has no tenant claim, or lacks the role",
            "404", "No such object for this tenant",
            "413", "Request body too large",
            "415", "Body is not application/json",
            "422", "A field breaks a rule; `errors` names each field",
            "429", "Rate limit exceeded; see Retry-After",
            "503", "The identity provider or the database cannot be reached; see Retry-After");

    @Override
    public Operation filterOperation(Operation operation) {
        resolveRoleExpressions(operation);
        APIResponses responses = operation.getResponses();
        if (responses == null || operation.getOperationId() == null) {
            return operation;
        }
        PROBLEMS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            APIResponse existing = responses.getAPIResponse(e.getKey());
            // Quarkus adds bare 400/401/403 answers by itself; give them the problem body
            if (existing == null || existing.getContent() == null) {
                responses.addAPIResponse(e.getKey(), problem(e.getValue()));
            }
        });
        return operation;
    }

    /** Every path parameter is an id: a longer one cannot exist and is answered 404 (see {@link InputGuard}). */
    @Override
    public Parameter filterParameter(Parameter parameter) {
        if (parameter.getIn() == Parameter.In.PATH && parameter.getSchema() != null
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
                        .map(s -> s.startsWith("${") ? ConfigProvider.getConfig()
                                .getOptionalValue("hookline.dispatcher.admin-role", String.class).orElse("hookline-admin") : s)
                        .toList();
                requirement.addScheme("bearer", scopes);
            }
        }
    }

    private static APIResponse problem(String description) {
        Content content = OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem")));
        return OASFactory.createAPIResponse().description(description).content(content);
    }
}
