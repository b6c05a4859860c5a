package io.hookline.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import jakarta.validation.constraints.Pattern;
import java.io.IOException;
import java.util.Arrays;

/**
 * The body of {@code POST /v1/events}, read with a streaming parser so that {@code data} is kept as the exact bytes
 * the publisher sent: receivers are promised the payload as published, and a tree of doubles would turn
 * {@code 1.00000000000000000000001} into {@code 1.0} and {@code 1e400} into {@code "Infinity"}. It also costs less:
 * {@code data} is checked once by the tokenizer and never built into objects or rendered again.
 * <p>
 * What is refused: a body that is not one JSON object (400, with the line and column of a syntax error), trailing
 * content after it (400), duplicate keys anywhere (422), unknown fields (422), {@code type} or {@code id} that are not
 * JSON strings (422: no coercion of {@code 5} into {@code "5"}), a missing or null {@code data} (422). What it accepts
 * is then checked by the constraints on the fields ({@code type}, {@code id}), like every other request record.
 *
 * @param type the event type as sent
 * @param data the JSON text of {@code data}, exactly as sent apart from the whitespace around it; null when absent
 * @param id the publisher's id, or null
 */
public record PublishRequest(
        @Pattern(regexp = EVENT_TYPE, message = "must be 1 to 255 characters of a-z, 0-9, '_', '.', '-'")
        @Pattern(
                regexp = "(?!hookline\\.).*",
                message = "must not start with 'hookline.': those types are Hookline's own events")
        String type,

        byte[] data,
        @IdempotencyKey String id) {

    /** An event type: 1 to 255 characters of {@code [a-z0-9_.-]}. */
    public static final String EVENT_TYPE = "[a-z0-9_.-]{1,255}";

    /** Reads a publish body; throws a {@link ProblemException} describing what is wrong with it. */
    public static PublishRequest parse(JsonFactory factory, byte[] body) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("a JSON body with type and data is required");
        }
        Validation v = new Validation();
        String type = null;
        String id = null;
        byte[] data = null;
        boolean typeSeen = false;
        try (JsonParser p = factory.createParser(body)) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ProblemException.badRequest("the body must be a JSON object with type and data");
            }
            JsonToken token = p.nextToken();
            while (token == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("data")) {
                    long start = p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    token = p.nextToken();
                    data = value == JsonToken.VALUE_NULL
                            ? null
                            : slice(body, start, p.currentTokenLocation().getByteOffset());
                    continue;
                }
                switch (field) {
                    case "type" -> {
                        typeSeen = true;
                        type = string(p, value, "type", v);
                    }
                    case "id" -> id = value == JsonToken.VALUE_NULL ? null : string(p, value, "id", v);
                    default -> {
                        v.fail(field, "is not a known field (type, data, id)");
                        p.skipChildren();
                    }
                }
                token = p.nextToken();
            }
            requireEnd(p, token);
        } catch (StreamReadException e) {
            throw unreadable(e);
        } catch (IOException e) {
            throw ProblemException.badRequest("the body cannot be read: " + e.getMessage());
        }
        if (!typeSeen) {
            v.fail("type", "is required");
        }
        if (data == null) {
            v.fail("data", "is required (any JSON value but null)");
        }
        v.throwIfInvalid();
        return new PublishRequest(type, data, id);
    }

    private static String string(JsonParser p, JsonToken value, String field, Validation v) throws IOException {
        if (value != JsonToken.VALUE_STRING) {
            v.fail(field, "must be a string");
            p.skipChildren();
            return null;
        }
        return p.getText();
    }

    /**
     * The bytes of a value from its first byte to where the next token starts (a field name or the closing brace),
     * less the whitespace and the comma in between: robust for every kind of value, unlike the parser's position
     * right after a scalar, which the tokenizer may not have reached yet.
     */
    private static byte[] slice(byte[] body, long start, long next) {
        if (start < 0 || next < 0) {
            throw ProblemException.badRequest("the body must be UTF-8 encoded JSON");
        }
        int from = (int) start;
        int end = trimEnd(body, from, (int) next);
        if (end > from && body[end - 1] == ',') {
            end = trimEnd(body, from, end - 1);
        }
        return Arrays.copyOfRange(body, from, end);
    }

    private static int trimEnd(byte[] body, int start, int end) {
        while (end > start && isWhitespace(body[end - 1])) {
            end--;
        }
        return end;
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    /**
     * After the top-level object's fields: {@code token} must close it, and nothing may follow it (400 otherwise).
     */
    static void requireEnd(JsonParser p, JsonToken token) throws IOException {
        if (token != JsonToken.END_OBJECT) {
            throw ProblemException.badRequest("the body is not a complete JSON object");
        }
        if (p.nextToken() != null) {
            JsonLocation at = p.currentTokenLocation();
            throw ProblemException.badRequest("unexpected content after the JSON object at line " + at.getLineNr()
                    + ", column " + at.getColumnNr());
        }
    }

    /** A body that is not JSON: 422 for a repeated key (with its path), else 400 with where the parser stopped. */
    static ProblemException unreadable(StreamReadException e) {
        ProblemException duplicate = StrictJson.duplicateKey(e);
        if (duplicate != null) {
            return duplicate;
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return ProblemException.malformedJson("the body is not valid JSON" + where + ": " + e.getOriginalMessage());
    }
}
