package io.hookline.api;

import java.util.List;
import java.util.Map;

/** Thrown by resources and services to answer with a problem; {@link ProblemMappers} renders it. */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String kind;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final Map<String, String> headers;

    public ProblemException(int status, String kind, String title, String detail, List<Problem.FieldError> errors,
            Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.kind = kind;
        this.title = title;
        this.errors = errors;
        this.headers = headers;
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(404, "not-found", "Not found", what + " " + id + " does not exist", null, Map.of());
    }

    public static ProblemException invalid(List<Problem.FieldError> errors) {
        String detail = errors.stream().map(e -> e.field() + ": " + e.message())
                .reduce((a, b) -> a + "; " + b).orElse("invalid request");
        return new ProblemException(422, "validation", "Invalid request", detail, List.copyOf(errors), Map.of());
    }

    public static ProblemException invalid(String field, String message) {
        return invalid(List.of(new Problem.FieldError(field, message)));
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "bad-request", "Bad request", detail, null, Map.of());
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail, null, Map.of());
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "payload-too-large", "Payload too large", detail, null, Map.of());
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "conflict", "Conflict", detail, null, Map.of());
    }

    /** 429 with {@code Retry-After} in whole seconds (at least 1). */
    public static ProblemException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ProblemException(429, "rate-limited", "Too many requests", detail, null,
                Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
    }

    public Problem toProblem() {
        return new Problem(Problem.TYPE_BASE + kind, title, status, getMessage(), errors);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
