package io.hookline.signing;

import io.hookline.crypto.WebhookSecret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two signatures of a delivery. This class is stateless and threadsafe.
 * <ul>
 * <li>{@link #hex}: lowercase hex HMAC-SHA256 of the raw body, keyed with the whole secret string ({@code whsec_…}) as
 * UTF-8: what the two-line Node/Express verification platforms publish expects.</li>
 * <li>{@link #standardWebhooks}: {@code v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>}, keyed with the
 * base64-decoded bytes after {@code whsec_}, as the Standard Webhooks specification (and Svix's libraries) verify it.
 * One entry per valid secret, separated by spaces, during a rotation grace period.</li>
 * </ul>
 */
public final class Signatures {
    private static final String HMAC = "HmacSHA256";

    private Signatures() {}

    public static String hex(WebhookSecret secret, byte[] body) {
        return HexFormat.of().formatHex(hmac(secret.hexSignatureKey(), body));
    }

    /** The {@code webhook-signature} header value for every given secret, newest first. */
    public static String standardWebhooks(List<WebhookSecret> secrets, String webhookId, long timestamp, byte[] body) {
        byte[] prefix = (webhookId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder();
        for (WebhookSecret secret : secrets) {
            Mac mac = mac(secret.standardWebhooksKey());
            mac.update(prefix);
            mac.update(body);
            if (header.length() > 0) {
                header.append(' ');
            }
            header.append("v1,").append(Base64.getEncoder().encodeToString(mac.doFinal()));
        }
        return header.toString();
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        return mac(key).doFinal(data);
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
