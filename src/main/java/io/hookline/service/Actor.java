package io.hookline.service;

import io.hookline.contract.Text;
import java.util.Locale;

/**
 * Who made a change, as the audit log records it: how it reached the tenant ({@link Via}), the token's subject
 * ({@code sub}) and the client it was issued to ({@code azp}). Both are cut to 255 characters and cleared of what
 * the database cannot store: they come from a token, and a strange claim must not fail the change it describes.
 */
public record Actor(Via via, String subject, String client) {
    /** The actor of work no request asked for (none today; a scheduled job would be one). */
    public static final Actor SYSTEM = new Actor(Via.SYSTEM, null, null);

    private static final int MAX = 255;

    public Actor {
        subject = clean(subject);
        client = clean(client);
    }

    public enum Via {
        /** A token of the tenant itself (its tenant claim). */
        TENANT,
        /** A token with the platform role, naming the tenant in {@code Hookline-Tenant}. */
        PLATFORM,
        /** A portal session of the tenant. */
        PORTAL,
        /** Hookline itself. */
        SYSTEM;

        /** The value in the database and the API: the name in lower case. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static String clean(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        String clipped = s.length() > MAX ? s.substring(0, MAX) : s;
        if (Text.storable(clipped)) {
            return clipped;
        }
        StringBuilder out = new StringBuilder(clipped.length());
        clipped.codePoints()
                .map(c -> c == 0 || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) ? '?' : c)
                .forEach(out::appendCodePoint);
        return out.toString();
    }
}
