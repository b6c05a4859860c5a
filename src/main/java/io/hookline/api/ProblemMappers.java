package io.hookline.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.hookline.contract.Problem;
import io.hookline.contract.ProblemException;
import io.hookline.contract.StrictJson;
import io.hookline.contract.Text;
import io.hookline.contract.Validation;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.inject.Inject;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of a request into an RFC 9457 problem. Client mistakes get a 4xx that says what is wrong; only
 * a bug reaches the last mapper, which logs it and answers a generic 500 that reveals nothing.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    ObjectMapper json;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response.ResponseBuilder builder = Response.status(e.status());
        e.headers().forEach(builder::header);
        return render(builder, e.toProblem());
    }

    /**
     * A request record broke its constraints ({@code @Valid} on a resource method): the same 422 as every other field
     * error. Violations anywhere else are bugs, and reach {@link #unexpected} as a 500.
     */
    @ServerExceptionMapper
    public Response invalid(ResteasyReactiveViolationException e) {
        return problem(new Validation().add(e.getConstraintViolations()).problem());
    }

    /** A constraint broken inside the service (not by the request): a bug, answered like one. */
    @ServerExceptionMapper
    public Response internalViolation(ValidationException e) {
        return unexpected(e);
    }

    // Mappers are chosen by the closest exception type, so the Jackson exceptions that Quarkus maps itself (to a 400
    // without a field name) are each named here.
    @ServerExceptionMapper
    public Response unparsableJson(JsonParseException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        if (e instanceof JsonParseException parse) {
            ProblemException duplicate = StrictJson.duplicateKey(parse);
            return problem(
                    duplicate != null
                            ? duplicate
                            : ProblemException.malformedJson(
                                    "the body is not valid JSON" + at(parse) + ": " + e.getOriginalMessage()));
        }
        String field = e instanceof JsonMappingException m ? path(m) : "";
        String message;
        if (e instanceof UnrecognizedPropertyException u) {
            field = Text.clip(field.isEmpty() ? u.getPropertyName() : field, Text.MAX_ECHO);
            message = "is not a known field";
        } else if (e instanceof InvalidFormatException f) {
            message = "has the wrong type or format: " + typeName(f.getTargetType());
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            message = "must be " + typeName(m.getTargetType());
        } else {
            message = "cannot be read: " + firstLine(e.getOriginalMessage());
        }
        if (field.isEmpty()) {
            return bad(400, "malformed-json", "Malformed JSON", "the body " + message);
        }
        return render(
                Response.status(422),
                new Problem(
                        Problem.TYPE_BASE + "validation",
                        "Invalid request",
                        422,
                        field + ": " + message,
                        List.of(new Problem.FieldError(field, message))));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return unauthenticated();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthenticated();
    }

    /**
     * The OIDC provider cannot be reached to verify a token. Not the caller's fault and not a bug: 503, try again.
     * (Readiness stays UP on purpose: delivery does not need the provider, and every replica would go unready at once.)
     */
    @ServerExceptionMapper
    public Response identityProviderDown(OIDCException e) {
        LOG.warnf("Cannot verify a bearer token: the OIDC provider is unreachable (%s)", e.getMessage());
        return render(
                Response.status(503).header("Retry-After", "5"),
                new Problem(
                        Problem.TYPE_BASE + "unavailable",
                        "Service unavailable",
                        503,
                        "the identity provider cannot be reached to verify the token; try again shortly",
                        null));
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return bad(403, "forbidden", "Forbidden", "the access token does not grant this operation");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "Request failed with %d", status);
            return bad(status, "internal", "Internal error", "the request could not be completed");
        }
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase()
                : "Error";
        String detail = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "this method is not allowed on this path";
            case 406 -> "only application/json responses are available";
            case 413 -> "the request body is too large";
            case 415 -> "the body must be application/json";
            default -> e.getMessage();
        };
        Response.ResponseBuilder builder = Response.status(status);
        e.getResponse().getHeaders().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Content-Type")) {
                v.forEach(value -> builder.header(k, value));
            }
        });
        return render(builder, new Problem(Problem.TYPE_BASE + slug(title), title, status, detail, null));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        var database = DatabaseFailure.problemFor(e);
        if (database.isPresent()) {
            return problem(database.get());
        }
        LOG.error("Unexpected failure while serving a request", e);
        return bad(500, "internal", "Internal error", "the request could not be completed");
    }

    private Response unauthenticated() {
        return render(
                Response.status(401).header("WWW-Authenticate", "Bearer"),
                new Problem(
                        Problem.TYPE_BASE + "unauthorized",
                        "Unauthorized",
                        401,
                        "a valid bearer access token is required",
                        null));
    }

    private Response bad(int status, String kind, String title, String detail) {
        return render(Response.status(status), new Problem(Problem.TYPE_BASE + kind, title, status, detail, null));
    }

    private Response render(Response.ResponseBuilder builder, Problem problem) {
        try {
            return builder.entity(json.writeValueAsString(problem))
                    .type(Problem.MEDIA_TYPE)
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Problem always serialises", e);
        }
    }

    private static String at(JsonParseException e) {
        return e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isArray() || List.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        return "an object";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String slug(String title) {
        return title.toLowerCase().replace(' ', '-');
    }
}
