package io.hookline.ingest;

import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 and the constant-time comparisons every scheme uses. Stateless and threadsafe. */
final class Hmac {
    private static final String HMAC = "HmacSHA256";
    /** Length of a hex-encoded HMAC-SHA256. */
    static final int HEX_LENGTH = 64;

    private Hmac() {}

    static byte[] sha256(byte[] key, byte[]... parts) {
        Mac mac;
        try {
            mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    /**
     * True when {@code candidate} is the hex form (either case) of {@code expected}. The comparison of the bytes is
     * constant-time ({@link MessageDigest#isEqual}); a candidate that is not 64 hex digits fails before it.
     */
    static boolean hexMatches(byte[] expected, String candidate) {
        if (candidate == null || candidate.length() != HEX_LENGTH) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(candidate.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }
}
