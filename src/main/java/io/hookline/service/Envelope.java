package io.hookline.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The JSON body every delivery of an event carries, rendered once at publish time and stored as bytes, so every
 * attempt and every replay sends the same bytes:
 * {@code {"meta":{"event_id":"evt_…","event_type":"…","occurred_at":"…Z"},"data":…}}.
 */
public final class Envelope {
    private static final byte[] META = "{\"meta\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DATA = ",\"data\":".getBytes(StandardCharsets.UTF_8);

    private Envelope() {}

    /**
     * Renders the envelope around {@code data}, the JSON text of the data exactly as the publisher sent it (already
     * checked to be one valid JSON value by {@link PublishRequest}): its bytes are copied, never re-rendered.
     */
    public static byte[] render(ObjectMapper json, String eventId, String type, Instant occurredAt, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 160);
        out.writeBytes(META);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("event_id", eventId);
            g.writeStringField("event_type", type);
            g.writeStringField(
                    "occurred_at", occurredAt.truncatedTo(ChronoUnit.MILLIS).toString());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("rendering to memory cannot fail", e);
        }
        out.writeBytes(DATA);
        out.writeBytes(data);
        out.write('}');
        return out.toByteArray();
    }

    /** Renders the envelope around a tree (Hookline's own events, such as the test event). */
    public static byte[] render(ObjectMapper json, String eventId, String type, Instant occurredAt, JsonNode data) {
        try {
            return render(json, eventId, type, occurredAt, json.writeValueAsBytes(data));
        } catch (IOException e) {
            throw new UncheckedIOException("a JSON tree always serialises", e);
        }
    }
}
