package io.hookline.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads what ingestion needs from a verified body with a streaming parser, without building or re-rendering it:
 * whether it is one JSON value, a few top-level string fields, and the exact bytes of a nested object. The provider's
 * JSON is taken as it is: repeated keys are not our rule to enforce (the last one wins, as in a tree).
 */
final class JsonBody {
    static final JsonFactory FACTORY = new JsonFactory();

    private JsonBody() {}

    /**
     * The top-level string fields named in {@code names} (a name whose value is not a string is left out).
     *
     * @throws Rejected {@link Reason#MALFORMED} when the body is not exactly one JSON value
     */
    static Map<String, String> strings(byte[] body, Set<String> names) {
        Map<String, String> found = new HashMap<>();
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new Rejected(Reason.MALFORMED, "the body is empty; a JSON body is required");
            }
            if (first == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (value == JsonToken.VALUE_STRING && names.contains(name)) {
                        found.put(name, p.getText());
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                throw new Rejected(
                        Reason.MALFORMED,
                        "unexpected content after the JSON value at line " + at.getLineNr() + ", column "
                                + at.getColumnNr());
            }
        } catch (StreamReadException e) {
            JsonLocation at = e.getLocation();
            throw new Rejected(
                    Reason.MALFORMED,
                    "the body is not valid JSON"
                            + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw new Rejected(Reason.MALFORMED, "the body cannot be read as JSON");
        }
        return found;
    }

    /**
     * The exact bytes of the object or array at {@code path} (field names from the top), or null when there is none.
     * The body is already known to be valid JSON.
     */
    static byte[] slice(byte[] body, String... path) {
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            int depth = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals(path[depth])) {
                    p.skipChildren();
                    continue;
                }
                if (depth == path.length - 1) {
                    if (value != JsonToken.START_OBJECT && value != JsonToken.START_ARRAY) {
                        return null;
                    }
                    long start = p.currentTokenLocation().getByteOffset();
                    p.skipChildren();
                    long end = p.currentTokenLocation().getByteOffset() + 1;
                    return Arrays.copyOfRange(body, (int) start, (int) end);
                }
                if (value != JsonToken.START_OBJECT) {
                    return null;
                }
                depth++;
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
