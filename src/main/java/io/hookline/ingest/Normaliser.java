package io.hookline.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a verified request into a Hookline event type and data. Stateless and threadsafe.
 * <ul>
 * <li>Stripe, a mapped type (the source's {@code typeMapping}, else {@link StripeMapping#BUILT_IN}): the mapped type,
 * with the small shape {@code {provider, providerEventId, providerEventType, sourceId, id, object, status, customer,
 * amount, currency}} read from {@code data.object} (a field Stripe's object lacks is null).</li>
 * <li>Stripe, any other type: {@code stripe.<type>} with the original {@code data.object}, byte for byte (the whole
 * body when there is none, as in Stripe's thin events).</li>
 * <li>Other providers: the source's {@code typeMapping} of the provider's type, else {@code <provider>.<type>}, with
 * the body, byte for byte, as data.</li>
 * </ul>
 * A type made from the provider's is lower-cased, every character outside {@code a-z 0-9 _ . -} becomes {@code _},
 * and it is cut to 255 characters, so it is always a valid Hookline event type.
 */
public final class Normaliser {
    static final int MAX_TYPE = 255;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectReader READER = JSON.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .with(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private Normaliser() {}

    /** An event to publish: its type and the exact JSON bytes of its data. */
    public record Normalised(String type, byte[] data) {}

    public static Normalised normalise(
            Provider provider, String sourceId, Received received, byte[] body, Map<String, String> typeMapping) {
        String mapped = typeMapping.get(received.providerEventType());
        if (provider == Provider.STRIPE) {
            if (mapped == null) {
                mapped = StripeMapping.BUILT_IN.get(received.providerEventType());
            }
            byte[] object = JsonBody.slice(body, "data", "object");
            if (mapped != null) {
                return new Normalised(mapped, stripeShape(sourceId, received, object));
            }
            return new Normalised(eventType(provider, received.providerEventType()), object != null ? object : body);
        }
        return new Normalised(mapped != null ? mapped : eventType(provider, received.providerEventType()), body);
    }

    /** {@code <provider>.<type>}, made a valid event type. */
    static String eventType(Provider provider, String type) {
        String raw = (provider.wire() + "." + type).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(Math.min(raw.length(), MAX_TYPE));
        for (int i = 0; i < raw.length() && out.length() < MAX_TYPE; i++) {
            char c = raw.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
            out.append(allowed ? c : '_');
        }
        return out.toString();
    }

    private static byte[] stripeShape(String sourceId, Received received, byte[] objectBytes) {
        JsonNode object = read(objectBytes);
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("provider", Provider.STRIPE.wire());
            g.writeStringField("providerEventId", received.providerEventId());
            g.writeStringField("providerEventType", received.providerEventType());
            g.writeStringField("sourceId", sourceId);
            g.writeStringField("id", text(object.get("id")));
            g.writeStringField("object", text(object.get("object")));
            g.writeStringField("status", text(object.get("status")));
            JsonNode customer = object.get("customer");
            g.writeStringField(
                    "customer", customer != null && customer.isObject() ? text(customer.get("id")) : text(customer));
            g.writeFieldName("amount");
            JsonNode amount = firstNumber(object, "amount", "amount_paid", "amount_due");
            if (amount == null) {
                g.writeNull();
            } else {
                g.writeTree(amount);
            }
            g.writeStringField("currency", text(object.get("currency")));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("rendering to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static JsonNode read(byte[] bytes) {
        if (bytes == null) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = READER.readTree(bytes);
            return node != null && node.isObject() ? node : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static JsonNode firstNumber(JsonNode object, String... names) {
        for (String name : names) {
            JsonNode value = object.get(name);
            if (value != null && value.isNumber()) {
                return value;
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
