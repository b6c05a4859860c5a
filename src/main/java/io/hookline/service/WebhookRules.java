package io.hookline.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.contract.Validation;
import io.hookline.net.AddressRules;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/** The rules a webhook's fields obey, each with the message a caller sees when it is broken. */
public final class WebhookRules {
    public static final int MAX_URL = 2048;
    public static final int MAX_DESCRIPTION = 512;
    public static final int MAX_EVENT_TYPES = 100;
    public static final int MAX_EVENT_TYPE = 255;
    /** An event type: {@code [a-z0-9_.-]+}. A filter may end in {@code *} to match every type with that prefix. */
    public static final Pattern EVENT_TYPE = Pattern.compile("[a-z0-9_.-]+");

    private static final Pattern FILTER = Pattern.compile("[a-z0-9_.-]*\\*?");
    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9.]+");

    private WebhookRules() {}

    static void checkUrl(String url, boolean allowPrivate, Validation v) {
        if (url == null || url.isBlank()) {
            v.fail("url", "is required");
            return;
        }
        if (url.length() > MAX_URL) {
            v.fail("url", "must be at most " + MAX_URL + " characters");
            return;
        }
        if (!v.storable("url", url)) {
            return;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            v.fail("url", "is not a valid URL: " + e.getReason());
            return;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !("https".equals(scheme) || "http".equals(scheme))) {
            v.fail("url", "must be an absolute http or https URL");
            return;
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            v.fail("url", "must name a host");
            return;
        }
        if (uri.getRawUserInfo() != null) {
            v.fail("url", "must not contain user information (user:password@)");
            return;
        }
        if (uri.getRawFragment() != null) {
            v.fail("url", "must not contain a fragment (#…); it is never sent");
            return;
        }
        if (allowPrivate) {
            return;
        }
        if (!"https".equals(scheme)) {
            v.fail("url", "must use https");
            return;
        }
        String host = hostName(uri.getHost());
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            v.fail("url", "must not point to a loopback address");
            return;
        }
        if (host.startsWith("[") || IPV4_LITERAL.matcher(host).matches()) {
            // a literal: parsed, never resolved
            byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
            if (literal == null) {
                v.fail("url", "has a malformed IP address");
                return;
            }
            try {
                AddressRules.blockedReason(InetAddress.getByAddress(literal))
                        .ifPresent(reason -> v.fail("url", "must not point to a " + reason));
            } catch (UnknownHostException e) {
                v.fail("url", "has a malformed IP address");
            }
        }
    }

    /**
     * The host as DNS sees it: lower case, without the one trailing dot of a fully qualified name, so
     * {@code LOCALHOST}, {@code localhost.} and {@code 127.0.0.1.} meet the same rules as {@code localhost} and
     * {@code 127.0.0.1} (the resolver treats them alike; send time resolved them to loopback and refused them, but
     * registration let them in).
     */
    static String hostName(String uriHost) {
        String host = uriHost.toLowerCase(Locale.ROOT);
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** A webhook's own concurrency cap: absent (null) or 1 to the replica's ceiling. */
    static Integer checkMaxConcurrency(Integer value, int ceiling, Validation v) {
        if (value != null && (value < 1 || value > ceiling)) {
            v.fail("maxConcurrency", "must be between 1 and " + ceiling + " (this service's ceiling), or null");
        }
        return value;
    }

    /** The same, given as JSON (a PATCH): null removes the cap. */
    static Integer checkMaxConcurrency(JsonNode value, int ceiling, Validation v) {
        if (value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            v.fail("maxConcurrency", "must be an integer between 1 and " + ceiling + ", or null");
            return null;
        }
        return checkMaxConcurrency(value.intValue(), ceiling, v);
    }

    static void checkDescription(String description, Validation v) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            v.fail("description", "must be at most " + MAX_DESCRIPTION + " characters");
        } else {
            v.storable("description", description);
        }
    }

    /** Checks the filter and returns it without duplicates, in the given order. */
    static String[] checkEventTypes(List<String> types, Validation v) {
        if (types == null) {
            return new String[0];
        }
        return checkEventTypes(types.size(), types::get, v);
    }

    /**
     * Checks a filter given as JSON (a PATCH): an array of strings. Its size is checked before any item, so a list
     * of 100,000 entries costs one comparison, not 100,000 error messages.
     */
    static String[] checkEventTypes(JsonNode types, Validation v) {
        if (!types.isArray()) {
            v.fail("eventTypes", "must be an array of strings");
            return new String[0];
        }
        return checkEventTypes(
                types.size(), i -> types.get(i).isTextual() ? types.get(i).asText() : null, v);
    }

    /** {@code type(i)} is null for an entry that is not a string. */
    private static String[] checkEventTypes(int size, IntFunction<String> type, Validation v) {
        if (size > MAX_EVENT_TYPES) {
            v.fail("eventTypes", "must have at most " + MAX_EVENT_TYPES + " entries (has " + size + ")");
            return new String[0];
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
            String t = type.apply(i);
            String field = "eventTypes[" + i + "]";
            if (t == null) {
                v.fail(field, "must be a string");
            } else if (t.isEmpty()) {
                v.fail(field, "must not be empty");
            } else if (t.length() > MAX_EVENT_TYPE) {
                v.fail(field, "must be at most " + MAX_EVENT_TYPE + " characters");
            } else if (!FILTER.matcher(t).matches()) {
                v.fail(field, "must be made of a-z, 0-9, '_', '.', '-', optionally ending in '*' (e.g. transaction.*)");
            } else {
                unique.add(t);
            }
        }
        return unique.toArray(String[]::new);
    }
}
