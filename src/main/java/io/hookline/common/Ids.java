package io.hookline.common;

import java.security.SecureRandom;

/**
 * Opaque, prefixed, time-sortable ids ({@code wh_01jd…}): 48 bits of milliseconds and 80 random bits in Crockford
 * base32, like a ULID. Sorting by id sorts by creation time, which is what cursor pagination relies on.
 * This class is threadsafe.
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String webhook() {
        return next("wh");
    }

    public static String event() {
        return next("evt");
    }

    public static String delivery() {
        return next("dlv");
    }

    public static String audit() {
        return next("aud");
    }

    /**
     * An inbound source: its id is the capability in its public URL ({@code /ingest/src_…}), so it carries 80 random
     * bits more than the others, 160 in all, after the time part that keeps lists in creation order (46 characters).
     */
    public static String source() {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        StringBuilder id = new StringBuilder(next("src"));
        for (int chunk = 0; chunk < 2; chunk++) {
            long bits = 0;
            for (int i = 0; i < 5; i++) {
                bits = (bits << 8) | (random[chunk * 5 + i] & 0xff);
            }
            for (int i = 0; i < 8; i++) {
                id.append(ALPHABET[(int) (bits >>> (35 - 5 * i)) & 31]);
            }
        }
        return id.toString();
    }

    /** One verified request received by a source (its ingest log entry). */
    public static String sourceRequest() {
        return next("req");
    }

    static String next(String prefix) {
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long millis = System.currentTimeMillis();
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 80 random bits = 16 base32 characters
        long hi = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (random[i] & 0xff);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++) {
            lo = (lo << 8) | (random[i] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo >>>= 5;
        }
        return prefix + "_" + new String(out);
    }
}
