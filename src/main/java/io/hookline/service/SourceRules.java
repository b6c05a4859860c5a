package io.hookline.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.contract.PublishRequest;
import io.hookline.contract.Text;
import io.hookline.contract.Validation;
import io.hookline.contract.WebhookApi;
import io.hookline.ingest.Provider;
import io.hookline.ingest.ProviderSecret;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The rules of a source's fields, each failure named by its field in the 422. Stateless. */
final class SourceRules {
    static final int MAX_EVENT_TYPE = 255;
    static final Pattern EVENT_TYPE = Pattern.compile(PublishRequest.EVENT_TYPE);
    static final int MAX_DESCRIPTION = WebhookApi.MAX_DESCRIPTION;

    static void checkDescription(String description, Validation v) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            v.fail("description", "must be at most " + MAX_DESCRIPTION + " characters");
        } else {
            v.storable("description", description);
        }
    }

    static final int MIN_SECRET = 8;
    static final int MAX_SECRET = 512;
    static final int MAX_MAPPINGS = 100;
    static final int MAX_HEADER = 100;
    /** Event types Hookline publishes itself (webhook.test, hookline.*) cannot be the target of a mapping. */
    static final String RESERVED_PREFIX = "hookline.";

    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9-]+");

    private SourceRules() {}

    /** The provider named by {@code name}, or null (with a failure) when there is none. */
    static Provider provider(String name, Validation v) {
        if (name == null) {
            v.fail("provider", "is required: one of " + String.join(", ", Provider.wireNames()));
            return null;
        }
        Provider provider = Provider.fromWire(name).orElse(null);
        if (provider == null) {
            v.fail("provider", "must be one of " + String.join(", ", Provider.wireNames()));
        }
        return provider;
    }

    static void checkSecret(Provider provider, String secret, Validation v) {
        if (secret == null) {
            v.fail("secret", "is required: the provider's signing secret");
            return;
        }
        if (secret.length() < MIN_SECRET || secret.length() > MAX_SECRET) {
            v.fail("secret", "must be " + MIN_SECRET + " to " + MAX_SECRET + " characters");
            return;
        }
        if (!v.storable("secret", secret)) {
            return;
        }
        if (!secret.strip().equals(secret)) {
            v.fail("secret", "must not start or end with whitespace (a copy-and-paste slip?)");
            return;
        }
        if (provider == Provider.STRIPE && !secret.startsWith(ProviderSecret.WHSEC)) {
            v.fail("secret", "a Stripe endpoint secret starts with whsec_ (Developers → Webhooks → Signing secret)");
        } else if (provider == Provider.STANDARD_WEBHOOKS) {
            int bytes = standardWebhooksKeyLength(secret);
            if (bytes < 24 || bytes > 64) {
                v.fail("secret", "a Standard Webhooks secret is whsec_ followed by base64 of 24 to 64 bytes");
            }
        }
    }

    private static int standardWebhooksKeyLength(String secret) {
        if (!secret.startsWith(ProviderSecret.WHSEC)) {
            return -1;
        }
        try {
            return Base64.getDecoder().decode(secret.substring(ProviderSecret.WHSEC.length())).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** The signature header: required for hmac-sha256, refused for the others. */
    static String checkHeader(Provider provider, String header, boolean present, Validation v) {
        if (provider != Provider.HMAC_SHA256) {
            if (present) {
                v.fail("signatureHeader", "only hmac-sha256 sources take a signatureHeader");
            }
            return null;
        }
        if (header == null) {
            v.fail("signatureHeader", "is required for hmac-sha256: the header that carries the hex signature");
        } else if (header.isEmpty()
                || header.length() > MAX_HEADER
                || !HEADER_NAME.matcher(header).matches()) {
            v.fail("signatureHeader", "must be 1 to " + MAX_HEADER + " letters, digits and '-'");
        }
        return header;
    }

    static Map<String, String> checkTypeMapping(Map<String, String> mapping, Validation v) {
        Map<String, String> checked = new TreeMap<>();
        if (mapping == null) {
            return checked;
        }
        if (mapping.size() > MAX_MAPPINGS) {
            v.fail("typeMapping", "must have at most " + MAX_MAPPINGS + " entries (has " + mapping.size() + ")");
            return checked;
        }
        mapping.forEach((from, to) -> entry(from, to, checked, v));
        return checked;
    }

    static Map<String, String> checkTypeMapping(JsonNode mapping, Validation v) {
        Map<String, String> checked = new TreeMap<>();
        if (mapping == null || mapping.isNull()) {
            return checked;
        }
        if (!mapping.isObject()) {
            v.fail("typeMapping", "must be an object of provider type → event type, or null");
            return checked;
        }
        if (mapping.size() > MAX_MAPPINGS) {
            v.fail("typeMapping", "must have at most " + MAX_MAPPINGS + " entries (has " + mapping.size() + ")");
            return checked;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = mapping.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                v.fail(field(e.getKey()), "must be an event type (a string)");
            } else {
                entry(e.getKey(), e.getValue().asText(), checked, v);
            }
        }
        return checked;
    }

    private static void entry(String from, String to, Map<String, String> checked, Validation v) {
        String field = field(from);
        if (from.isEmpty() || from.length() > MAX_EVENT_TYPE || !Text.storable(from)) {
            v.fail(field, "the provider type must be 1 to " + MAX_EVENT_TYPE + " characters of text");
        } else if (to == null
                || to.isEmpty()
                || to.length() > MAX_EVENT_TYPE
                || !EVENT_TYPE.matcher(to).matches()) {
            v.fail(field, "must be 1 to " + MAX_EVENT_TYPE + " characters of a-z, 0-9, '_', '.', '-'");
        } else if (to.startsWith(RESERVED_PREFIX)) {
            v.fail(field, "types under " + RESERVED_PREFIX + " are Hookline's own");
        } else {
            checked.put(from, to);
        }
    }

    private static String field(String key) {
        return "typeMapping." + (Text.storable(key) ? key : "?");
    }
}
