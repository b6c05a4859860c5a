package io.hookline.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /v1/events/batch}: {@code {"events": [publish, …], "atomic": false}}. Each item is read by
 * {@link PublishRequest#parse} from its own bytes, so an item obeys exactly the rules of a single publish and its
 * {@code data} reaches receivers as the bytes sent.
 * <p>
 * Two levels of error. The request's own: a body that is not one JSON object or not valid JSON anywhere (400), an
 * unknown or repeated top-level field, {@code events} missing, not an array, empty or longer than the limit, or
 * {@code atomic} not a boolean (422). Those refuse the whole request. An item's: not an object, a repeated key inside
 * it, an unknown field, a missing {@code type} or {@code data} (422); those are that item's problem only, kept in
 * {@link Item#problem()}, and the caller decides with {@code atomic} whether they sink the others.
 *
 * @param items  the items in the order sent, each parsed or refused
 * @param atomic whether the caller wants all or nothing
 */
public record PublishBatch(List<Item> items, boolean atomic) {

    /** Most events of one batch whatever the configuration (the API document's {@code maxItems}). */
    public static final int MAX_ITEMS = 1000;

    /**
     * One event of a batch: its request when it could be read, else the problem with it.
     *
     * @param index   its position in {@code events}, from 0
     * @param request the item as read, or null
     * @param problem what is wrong with it (422), or null
     */
    public record Item(int index, PublishRequest request, ProblemException problem) {}

    /** Reads a batch body of at most {@code maxItems} events; throws a {@link ProblemException} for the request. */
    public static PublishBatch parse(JsonFactory factory, byte[] body, int maxItems) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("a JSON body with events is required");
        }
        Validation v = new Validation();
        List<Item> items = null;
        int count = 0;
        boolean atomic = false;
        Set<String> seen = new HashSet<>();
        try (JsonParser p = factory.createParser(body)) {
            // repeated keys inside an item are that item's problem (PublishRequest finds them); at the top level they
            // are counted here by hand
            p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ProblemException.badRequest("the body must be a JSON object with events");
            }
            JsonToken token = p.nextToken();
            while (token == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!seen.add(field)) {
                    v.fail(field, "appears more than once");
                    p.skipChildren();
                } else if (field.equals("events")) {
                    if (value == JsonToken.START_ARRAY) {
                        items = new ArrayList<>();
                        count = readItems(factory, p, body, maxItems, items);
                    } else {
                        v.fail("events", "must be an array of events");
                        p.skipChildren();
                    }
                } else if (field.equals("atomic")) {
                    if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
                        atomic = value == JsonToken.VALUE_TRUE;
                    } else if (value != JsonToken.VALUE_NULL) {
                        v.fail("atomic", "must be a boolean");
                        p.skipChildren();
                    }
                } else {
                    v.fail(field, "is not a known field (events, atomic)");
                    p.skipChildren();
                }
                token = p.nextToken();
            }
            PublishRequest.requireEnd(p, token);
        } catch (StreamReadException e) {
            throw PublishRequest.unreadable(e);
        } catch (IOException e) {
            throw ProblemException.badRequest("the body cannot be read: " + e.getMessage());
        }
        if (!seen.contains("events")) {
            v.fail("events", "is required (1 to " + maxItems + " events)");
        } else if (items != null && count == 0) {
            v.fail("events", "must hold at least one event");
        } else if (count > maxItems) {
            v.fail("events", "holds " + count + " events; at most " + maxItems + " are accepted in one batch");
        }
        v.throwIfInvalid();
        return new PublishBatch(List.copyOf(items), atomic);
    }

    /**
     * Reads the array's items up to its end, keeping the first {@code maxItems} (the rest are only counted: a batch
     * over the limit is refused as a whole, so reading them into requests would be wasted).
     *
     * @return how many items the array holds
     */
    private static int readItems(JsonFactory factory, JsonParser p, byte[] body, int maxItems, List<Item> items)
            throws IOException {
        int count = 0;
        JsonToken token = p.nextToken();
        while (token != JsonToken.END_ARRAY) {
            if (token == null) {
                throw ProblemException.badRequest("the body is not a complete JSON object");
            }
            int index = count++;
            if (token == JsonToken.START_OBJECT) {
                long start = p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                long end = p.currentTokenLocation().getByteOffset() + 1;
                if (index < maxItems) {
                    items.add(item(factory, index, body, start, end));
                }
            } else {
                p.skipChildren();
                if (index < maxItems) {
                    items.add(new Item(
                            index, null, ProblemException.invalid("", "must be a JSON object with type and data")));
                }
            }
            token = p.nextToken();
        }
        return count;
    }

    private static Item item(JsonFactory factory, int index, byte[] body, long start, long end) {
        if (start < 0 || end > body.length) {
            throw ProblemException.badRequest("the body must be UTF-8 encoded JSON");
        }
        try {
            return new Item(
                    index, PublishRequest.parse(factory, Arrays.copyOfRange(body, (int) start, (int) end)), null);
        } catch (ProblemException e) {
            return new Item(index, null, e);
        }
    }
}
