package io.hookline.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master keys that encrypt webhook secrets at rest. Parsed from {@code hookline.secrets.master-key}: a
 * comma-separated list of base64 AES-256 keys; the first encrypts, all decrypt. Each key is known by an id derived
 * from it (first 8 bytes of its SHA-256, in hex), which is stored beside every ciphertext, so an operator rotates the
 * master key by prepending a new one without naming anything. This class is immutable and threadsafe.
 */
public final class MasterKeyRing {
    /**
     * The development key of the dev and test profiles: 32 ASCII bytes that say what they are. Production refuses it.
     */
    public static final String DEVELOPMENT_KEY =
            Base64.getEncoder().encodeToString("dev-only-key-do-not-use-in-prod!".getBytes(StandardCharsets.US_ASCII));
    /** Compared by key id, so the development key is recognised however it is written (padding, whitespace). */
    private static final String DEVELOPMENT_KEY_ID = keyId(Base64.getDecoder().decode(DEVELOPMENT_KEY));

    static final String KEY_NAME = "hookline.secrets.master-key (HOOKLINE_SECRETS_MASTER_KEY)";

    private final Map<String, SecretKey> keys;
    private final String primaryId;

    private MasterKeyRing(Map<String, SecretKey> keys, String primaryId) {
        this.keys = keys;
        this.primaryId = primaryId;
    }

    /**
     * @param production whether the prod profile is active: then the development key is refused
     * @throws IllegalArgumentException with a message naming the key and the rule it breaks
     */
    public static MasterKeyRing parse(Optional<String> configured, boolean production) {
        String value = configured.map(String::trim).orElse("");
        if (value.isEmpty()) {
            throw new IllegalArgumentException(KEY_NAME + " is not set: give one or more base64-encoded 32-byte keys "
                    + "(e.g. `openssl rand -base64 32`), comma-separated, the first one encrypting");
        }
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        List<String> entries = new ArrayList<>(List.of(value.split(",")));
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).trim();
            String position = "entry " + (i + 1) + " of " + KEY_NAME;
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(entry);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(position + " is not valid base64");
            }
            if (raw.length != 32) {
                throw new IllegalArgumentException(
                        position + " decodes to " + raw.length + " bytes; an AES-256 key must be exactly 32 bytes");
            }
            if (production && DEVELOPMENT_KEY_ID.equals(keyId(raw))) {
                throw new IllegalArgumentException(position + " is the public development key; generate a real one "
                        + "with `openssl rand -base64 32`");
            }
            String id = keyId(raw);
            if (keys.putIfAbsent(id, new SecretKeySpec(raw, "AES")) != null) {
                throw new IllegalArgumentException(position + " repeats an earlier key");
            }
        }
        return new MasterKeyRing(Map.copyOf(keys), keys.keySet().iterator().next());
    }

    public boolean usesDevelopmentKey() {
        return DEVELOPMENT_KEY_ID.equals(primaryId);
    }

    static String keyId(byte[] raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    String primaryId() {
        return primaryId;
    }

    SecretKey primary() {
        return keys.get(primaryId);
    }

    Optional<SecretKey> find(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }
}
