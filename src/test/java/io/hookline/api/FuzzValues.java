package io.hookline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.StreamSupport;

/**
 * Values for the API fuzzer: mostly what a schema allows, near its bounds, and often what it does not (wrong types,
 * U+0000, lone surrogates, oversized strings and lists). Every choice comes from one seeded {@link Random}, so a
 * failure reproduces with its seed.
 */
final class FuzzValues {
    static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** Strings that broke, or could break, something: storage, parsing, logging, URL handling. */
    static final List<String> HOSTILE = List.of(
            "",
            " ",
            "\u0000",
            "a\u0000b",
            "\ud800",
            "x\udc00",
            "\udc00\ud800",
            "\ud83d\ude00",
            "é",
            "\u202e",
            "\ufeff",
            "\r\n",
            "\t",
            "../..",
            "%00",
            "%",
            "'; drop table webhook; --",
            "${jndi:ldap://127.0.0.1/x}",
            "\\",
            "\"",
            "null",
            "true",
            "-1",
            "1e400",
            "*",
            "a.*",
            "**",
            "x".repeat(255),
            "x".repeat(256),
            "y".repeat(2049),
            "z".repeat(20_000));

    /** Path segments as they go on the wire, already encoded (or deliberately not). */
    static final List<String> RAW_SEGMENTS = List.of(
            "%00",
            "wh_%00",
            "wh_x%00",
            "%ED%A0%80",
            "%C0%80",
            "%zz",
            "%",
            "%25",
            "..",
            "%2e%2e",
            "a%2Fb",
            "%20",
            "+",
            ";x=1",
            "wh_" + "a".repeat(70),
            "evt_",
            "dlv_0",
            "WH_01",
            "-1");

    final Random random;
    /** How often a value breaks its schema: high for most requests, low for the ones meant to get through. */
    double hostility = 0.15;
    /** A URL that receives deliveries, for requests meant to get through. */
    String validUrl = "http://127.0.0.1:9/hook";

    FuzzValues(Random random) {
        this.random = random;
    }

    boolean hostile() {
        return chance(hostility);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    /** A value for {@code schema} (already resolved), named {@code name} in its object. */
    JsonNode value(JsonNode schema, String name, UnaryOperator<JsonNode> resolve, int depth) {
        if (hostile() || schema == null || "data".equals(name)) {
            return anyJson(depth);
        }
        if (schema.has("enum") && !hostile()) {
            return pick(listOf(schema.get("enum"))).deepCopy();
        }
        switch (schema.path("type").asText("")) {
            case "string" -> {
                return JSON.textNode(text(schema, name));
            }
            case "integer", "number" -> {
                return number(schema);
            }
            case "boolean" -> {
                return JSON.booleanNode(random.nextBoolean());
            }
            case "array" -> {
                ArrayNode array = JSON.arrayNode();
                int max = schema.path("maxItems").asInt(10);
                int size = hostile() ? pick(List.of(max, max + 1, random.nextInt(300))) : random.nextInt(3);
                JsonNode items = resolve.apply(schema.get("items"));
                for (int i = 0; i < size; i++) {
                    array.add(value(items, name, resolve, depth + 1));
                }
                return array;
            }
            default -> {
                return object(schema, resolve, depth);
            }
        }
    }

    ObjectNode object(JsonNode schema, UnaryOperator<JsonNode> resolve, int depth) {
        ObjectNode object = JSON.objectNode();
        List<String> required =
                listOf(schema.path("required")).stream().map(JsonNode::asText).toList();
        schema.path("properties").fields().forEachRemaining(p -> {
            if (chance(0.7) || (required.contains(p.getKey()) && !hostile())) {
                object.set(p.getKey(), value(resolve.apply(p.getValue()), p.getKey(), resolve, depth + 1));
            }
        });
        if (hostile()) {
            object.set(pick(HOSTILE), anyJson(depth + 1));
        }
        return object;
    }

    String text(JsonNode schema, String name) {
        if (hostile() || hostile()) {
            return chance(0.8) ? pick(HOSTILE) : randomString(1 + random.nextInt(40));
        }
        boolean valid = !hostile();
        return switch (name) {
            case "url" ->
                valid
                        ? validUrl
                        : pick(List.of(
                                "http://127.0.0.1:" + (1 + random.nextInt(65535)) + "/hook",
                                "https://127.0.0.1/x",
                                "ftp://x",
                                "http://",
                                "http://[::1",
                                "http://u:p@127.0.0.1/",
                                "http://127.0.0.1/#f",
                                "http://127.0.0.1/" + "p".repeat(2040),
                                "javascript:alert(1)",
                                "/relative"));
            case "type", "eventTypes" ->
                valid
                        ? pick(List.of("a.b", "fuzz.event", "a.*", "*"))
                        : pick(List.of("A.B", "a b", "x".repeat(255), "x".repeat(256), "a*b"));
            case "id" -> "key-" + random.nextInt(50);
            default ->
                randomString(random.nextInt(
                        valid
                                ? schema.path("maxLength").asInt(60)
                                : schema.path("maxLength").asInt(600) + 2));
        };
    }

    JsonNode number(JsonNode schema) {
        if (!hostile() && !hostile()) {
            return JSON.numberNode(1
                    + random.nextInt((int) Math.min(250, schema.path("maximum").asLong(250))));
        }
        return switch (random.nextInt(8)) {
            case 0 -> JSON.numberNode(-1);
            case 1 -> JSON.numberNode(0);
            case 2 -> JSON.numberNode(schema.path("maximum").asLong(100));
            case 3 -> JSON.numberNode(schema.path("maximum").asLong(100) + 1);
            case 4 -> JSON.numberNode(new BigInteger("1" + "0".repeat(40)));
            case 5 -> JSON.numberNode(new BigDecimal("1.5"));
            case 6 -> JSON.numberNode(Long.MIN_VALUE);
            default -> JSON.numberNode(random.nextInt(1000));
        };
    }

    /** Any JSON value, nested up to a few levels. */
    JsonNode anyJson(int depth) {
        int kind = random.nextInt(depth > 3 ? 5 : 7);
        return switch (kind) {
            case 0 -> JSON.nullNode();
            case 1 -> JSON.booleanNode(random.nextBoolean());
            case 2 -> number(JSON.objectNode());
            case 3, 4 -> JSON.textNode(chance(0.5) ? pick(HOSTILE) : randomString(random.nextInt(30)));
            case 5 -> {
                ArrayNode array = JSON.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(anyJson(depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = JSON.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    object.set(chance(0.3) ? pick(HOSTILE) : randomString(1 + random.nextInt(8)), anyJson(depth + 1));
                }
                yield object;
            }
        };
    }

    /** Characters from every plane, including U+0000 and lone surrogates now and then. */
    String randomString(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int range = random.nextInt(10);
            if (range < 6) {
                s.append((char) (' ' + random.nextInt(95)));
            } else if (range < 8) {
                s.append((char) random.nextInt(0x800));
            } else if (range < 9) {
                s.appendCodePoint(0x10000 + random.nextInt(0x1000));
            } else {
                s.append((char) (0xd800 + random.nextInt(0x800)));
            }
        }
        return s.toString();
    }

    /** A query or path value as it goes on the wire: properly encoded, or one of the raw segments as they are. */
    String wire(String value) {
        if (hostile()) {
            return pick(RAW_SEGMENTS);
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** For failure messages: at most 300 characters, with control characters and surrogates made visible. */
    static String clip(String s) {
        if (s == null) {
            return "(none)";
        }
        String cut = s.length() > 300 ? s.substring(0, 300) : s;
        StringBuilder out = new StringBuilder();
        cut.chars()
                .forEach(c -> out.append(
                        c < 0x20 || Character.isSurrogate((char) c)
                                ? String.format("\\u%04x", c)
                                : String.valueOf((char) c)));
        return s.length() > 300 ? out + "…(" + s.length() + " chars)" : out.toString();
    }

    private static List<JsonNode> listOf(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }
}
