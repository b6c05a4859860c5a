package io.hookline.queue;

import java.nio.charset.StandardCharsets;

/**
 * Makes what a receiver controls (the body it answered, an error message quoting its status line) safe to store in a
 * PostgreSQL {@code text} column and to print in a log line. PostgreSQL text holds any Unicode character except
 * U+0000 (a 0x00 byte fails the whole statement with SQLSTATE 22021); Java strings can also hold unpaired surrogates,
 * which UTF-8 cannot encode. Both become U+FFFD, the replacement character, as malformed UTF-8 already does when the
 * bytes are decoded, so a reader of the log sees where something was that could not be kept. Stateless.
 */
public final class LogText {
    public static final char REPLACEMENT = '\uFFFD';
    /**
     * Characters kept of an error message. Ours are under 200; 512 leaves room for the HTTP stack's, and keeps a
     * receiver from putting its 8 KiB of headers into every log line and every attempt row through one.
     */
    public static final int MESSAGE_LIMIT = 512;

    private LogText() {}

    /** The captured bytes of an answer as storable text: malformed UTF-8 and U+0000 become U+FFFD. */
    public static String body(byte[] bytes) {
        // the String constructor replaces malformed and unmappable input with U+FFFD
        return storable(new String(bytes, StandardCharsets.UTF_8));
    }

    /** {@code text} with U+0000 and unpaired surrogates replaced; null stays null. */
    public static String storable(String text) {
        if (text == null || storableAlready(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (c == '\0' || Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * An error message as one storable line of at most {@link #MESSAGE_LIMIT} characters: control characters
     * (line breaks included, so a receiver cannot forge log lines) become U+FFFD; a longer message ends in "…".
     */
    public static String message(String text) {
        if (text == null) {
            return null;
        }
        String clean = storable(text);
        int keep = clean.length();
        if (keep > MESSAGE_LIMIT) {
            keep = MESSAGE_LIMIT - 1;
            if (Character.isHighSurrogate(clean.charAt(keep - 1))) {
                keep--; // its low half would be cut off
            }
        }
        StringBuilder out = new StringBuilder(keep + 1);
        for (int i = 0; i < keep; i++) {
            char c = clean.charAt(i);
            out.append(Character.isISOControl(c) ? REPLACEMENT : c);
        }
        return keep < clean.length() ? out.append('\u2026').toString() : out.toString();
    }

    private static boolean storableAlready(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0' || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
