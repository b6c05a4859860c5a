package io.hookline.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Request bodies are read as written, never guessed at: a value of the wrong JSON type is an error, not coerced
 * ({@code "url": 5} is not the string {@code "5"}, {@code "enabled": 1} not {@code true}); a key repeated in one
 * object is an error (which of the two would win is the parser's choice, not the caller's); and nothing may follow
 * the body's JSON value. Each of these is answered 400 or 422 by {@link ProblemMappers}. {@code POST /v1/events}
 * reads its body with the same rules in {@code PublishRequest}.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {
    private static final String DUPLICATE = "Duplicate field";

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        fail(
                mapper,
                LogicalType.Textual,
                CoercionInputShape.Integer,
                CoercionInputShape.Float,
                CoercionInputShape.Boolean);
        fail(
                mapper,
                LogicalType.Boolean,
                CoercionInputShape.Integer,
                CoercionInputShape.Float,
                CoercionInputShape.String);
        fail(
                mapper,
                LogicalType.Integer,
                CoercionInputShape.Float,
                CoercionInputShape.String,
                CoercionInputShape.Boolean);
        fail(mapper, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.Boolean);
    }

    private static void fail(ObjectMapper mapper, LogicalType target, CoercionInputShape... from) {
        for (CoercionInputShape shape : from) {
            mapper.coercionConfigFor(target).setCoercion(shape, CoercionAction.Fail);
        }
    }

    /** True when the parser refused the body for a repeated key. */
    static boolean isDuplicateKey(StreamReadException e) {
        return e.getOriginalMessage() != null && e.getOriginalMessage().startsWith(DUPLICATE);
    }

    /** The JSON path of the repeated key, in the dotted form of the other field errors ({@code data.items[2].id}). */
    public static String duplicateKeyPath(StreamReadException e) {
        String message = e.getOriginalMessage();
        int open = message.indexOf('\'');
        int close = message.lastIndexOf('\'');
        String name = open >= 0 && close > open ? message.substring(open + 1, close) : "";
        JsonParser p = e.getProcessor();
        if (p == null || p.getParsingContext() == null) {
            return name;
        }
        StringBuilder path = new StringBuilder();
        String last = null;
        for (String part : p.getParsingContext().pathAsPointer().toString().split("/")) {
            if (!part.isEmpty()) {
                last = part.replace("~1", "/").replace("~0", "~");
                path.append(
                        part.chars().allMatch(Character::isDigit)
                                ? "[" + part + "]"
                                : (path.length() == 0 ? "" : ".") + last);
            }
        }
        if (!name.equals(last)) {
            path.append(path.length() == 0 ? "" : ".").append(name);
        }
        return Text.clip(path.toString(), Text.MAX_ECHO);
    }

    /** The 422 for a repeated key, or null when {@code e} is about something else. */
    public static ProblemException duplicateKey(StreamReadException e) {
        return isDuplicateKey(e)
                ? ProblemException.invalid(duplicateKeyPath(e), "appears more than once in the same object")
                : null;
    }
}
