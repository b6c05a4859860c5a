package io.hookline.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM for webhook secrets at rest: a random 96-bit nonce per encryption, a 128-bit tag, and the webhook id as
 * associated data so a ciphertext copied onto another webhook's row fails to decrypt. This class is threadsafe.
 */
public final class SecretCipher {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MasterKeyRing ring;

    public SecretCipher(MasterKeyRing ring) {
        this.ring = ring;
    }

    public record Sealed(String keyId, byte[] nonce, byte[] ciphertext) {}

    public Sealed encrypt(WebhookSecret secret, String webhookId) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] ciphertext = run(
                Cipher.ENCRYPT_MODE,
                ring.primary(),
                nonce,
                webhookId,
                secret.reveal().getBytes(StandardCharsets.UTF_8));
        return new Sealed(ring.primaryId(), nonce, ciphertext);
    }

    public WebhookSecret decrypt(Sealed sealed, String webhookId) {
        SecretKey key = ring.find(sealed.keyId())
                .orElseThrow(() -> new IllegalStateException("secret of webhook "
                        + webhookId + " is encrypted under master key " + sealed.keyId()
                        + ", which is not in hookline.secrets.master-key any more"));
        byte[] plain = run(Cipher.DECRYPT_MODE, key, sealed.nonce(), webhookId, sealed.ciphertext());
        return WebhookSecret.of(new String(plain, StandardCharsets.UTF_8));
    }

    /**
     * Encrypts any other secret the same way (an inbound source's provider secret): {@code owner}, the id of the row
     * that holds it, is the associated data.
     */
    public Sealed seal(String plaintext, String owner) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] ciphertext =
                run(Cipher.ENCRYPT_MODE, ring.primary(), nonce, owner, plaintext.getBytes(StandardCharsets.UTF_8));
        return new Sealed(ring.primaryId(), nonce, ciphertext);
    }

    /** Decrypts what {@link #seal} encrypted for the same {@code owner}. */
    public String open(Sealed sealed, String owner) {
        SecretKey key = ring.find(sealed.keyId())
                .orElseThrow(() -> new IllegalStateException("secret of " + owner + " is encrypted under master key "
                        + sealed.keyId() + ", which is not in hookline.secrets.master-key any more"));
        return new String(
                run(Cipher.DECRYPT_MODE, key, sealed.nonce(), owner, sealed.ciphertext()), StandardCharsets.UTF_8);
    }

    private static byte[] run(int mode, SecretKey key, byte[] nonce, String webhookId, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(webhookId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "AES-GCM failed for the secret of webhook " + webhookId + " (wrong master key or tampered row)", e);
        }
    }
}
