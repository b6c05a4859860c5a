package io.hookline.contract;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Thrown by resources and services to answer with a problem; {@link ProblemMappers} renders it. */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String kind;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final Map<String, String> headers;

    public ProblemException(
            int status,
            String kind,
            String title,
            String detail,
            List<Problem.FieldError> errors,
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

    /** A 404 that names nothing the caller sent (for ids that cannot exist, e.g. holding U+0000). */
    public static ProblemException notFound() {
        return new ProblemException(404, "not-found", "Not found", "no such resource", null, Map.of());
    }

    /** 422 listing at most {@link Validation#MAX_LISTED} of {@code errors}, and how many more there were. */
    public static ProblemException invalid(List<Problem.FieldError> errors) {
        return invalid(errors, 0);
    }

    /** As {@link #invalid(List)}, saying that {@code more} errors beyond {@code errors} were not even kept. */
    static ProblemException invalid(List<Problem.FieldError> errors, int more) {
        List<Problem.FieldError> listed =
                List.copyOf(errors.subList(0, Math.min(errors.size(), Validation.MAX_LISTED)));
        more += errors.size() - listed.size();
        StringBuilder detail = new StringBuilder();
        for (Problem.FieldError e : listed) {
            detail.append(detail.isEmpty() ? "" : "; ")
                    .append(e.field())
                    .append(": ")
                    .append(e.message());
        }
        if (more > 0) {
            detail.append("; and ")
                    .append(String.format(Locale.ROOT, "%,d", more))
                    .append(more == 1 ? " more error" : " more errors");
        }
        return new ProblemException(
                422,
                "validation",
                "Invalid request",
                detail.isEmpty() ? "invalid request" : detail.toString(),
                listed,
                Map.of());
    }

    public static ProblemException invalid(String field, String message) {
        return invalid(List.of(new Problem.FieldError(field, message)));
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "bad-request", "Bad request", detail, null, Map.of());
    }

    /**
     * 400 for a body that is not valid JSON. Only the first line of the parser's message is kept, at most 300
     * characters: it quotes the input.
     */
    public static ProblemException malformedJson(String detail) {
        int nl = detail.indexOf('\n');
        return new ProblemException(
                400,
                "malformed-json",
                "Malformed JSON",
                Text.clip(nl < 0 ? detail : detail.substring(0, nl), 300),
                null,
                Map.of());
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
        return new ProblemException(
                429,
                "rate-limited",
                "Too many requests",
                detail,
                null,
                Map.of("Retry-After", Long.toString(Math.max(1, retryAfterSeconds))));
    }

    /** 503 with {@code Retry-After}: not the caller's fault, and trying again later is right. */
    public static ProblemException unavailable(String detail, long retryAfterSeconds) {
        return new ProblemException(
                503,
                "unavailable",
                "Service unavailable",
                detail,
                null,
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
