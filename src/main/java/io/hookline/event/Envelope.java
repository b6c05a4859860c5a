package io.hookline.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The JSON body every delivery of an event carries, rendered once at publish time and stored as bytes, so every
 * attempt and every replay sends the same bytes:
 * {@code {"meta":{"event_id":"evt_…","event_type":"…","occurred_at":"…Z"},"data":…}}.
 */
public final class Envelope {
    private Envelope() {
    }

    public static byte[] render(ObjectMapper json, String eventId, String type, Instant occurredAt, JsonNode data) {
        ObjectNode root = json.createObjectNode();
        ObjectNode meta = root.putObject("meta");
        meta.put("event_id", eventId);
        meta.put("event_type", type);
        meta.put("occurred_at", occurredAt.truncatedTo(ChronoUnit.MILLIS).toString());
        root.set("data", data);
        try {
            return json.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
