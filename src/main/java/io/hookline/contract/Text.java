package io.hookline.contract;

/**
 * What a string may hold to reach the database: PostgreSQL {@code text} (UTF-8) cannot store U+0000 (SQLState 22021)
 * and a lone UTF-16 surrogate has no UTF-8 form at all (the driver would silently write '?'). Both are refused as
 * input, before any SQL, instead of failing the statement. This class is threadsafe.
 */
public final class Text {
    /** The message of a field error for such a value. */
    public static final String UNSTORABLE = "must not contain U+0000 or an unpaired UTF-16 surrogate";
    /** Longest id that can exist (ids are 29 or 30 characters today, {@code wh_} + 26); a longer one is unknown. */
    public static final int MAX_ID = 64;
    /** Longest field name a problem repeats: a 1 MiB unknown JSON key must not come back twice in the answer. */
    public static final int MAX_ECHO = 100;

    private Text() {}

    public static boolean storable(CharSequence s) {
        if (s == null) {
            return true;
        }
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** {@code s} cut to {@code max} characters (never inside a surrogate pair), with "…" when it was cut. */
    public static String clip(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end) + "…";
    }
}
