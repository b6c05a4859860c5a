package io.hookline.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signature checks written the way a receiver writes them (from the JDK, not from Hookline's signing code), so a
 * delivery test fails if what goes on the wire cannot be verified.
 */
public final class Verify {
    private Verify() {}

    public static boolean hex(String secret, byte[] body, String header) {
        return header != null
                && HexFormat.of()
                        .formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body))
                        .equals(header);
    }

    /** True when one of the space-separated {@code v1,…} entries matches the secret. */
    public static boolean standardWebhooks(String secret, Receiver.Request r) {
        String id = r.header("webhook-id");
        String timestamp = r.header("webhook-timestamp");
        String header = r.header("webhook-signature");
        if (id == null || timestamp == null || header == null) {
            return false;
        }
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        byte[] signed = (id + "." + timestamp + "." + r.text()).getBytes(StandardCharsets.UTF_8);
        String expected = "v1," + Base64.getEncoder().encodeToString(hmac(key, signed));
        for (String entry : header.split(" ")) {
            if (entry.equals(expected)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
