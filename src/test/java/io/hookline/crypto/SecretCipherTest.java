package io.hookline.crypto;

import io.hookline.testsupport.UnitTest;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@UnitTest
class SecretCipherTest {
    static final String KEY_A = "q5mLh7gUuGz9pV0z1zq9iBvI0bq3qg5jH0m6R1yYq2E=";
    static final String KEY_B = "3v1Pp1t3mK2n8o0hI1cQ5u7W9yA0bC2dE4fG6hJ8kL0=";

    @Test
    void a_secret_round_trips_and_each_encryption_uses_a_fresh_nonce() {
        SecretCipher cipher = new SecretCipher(MasterKeyRing.parse(Optional.of(KEY_A), true));
        WebhookSecret secret = WebhookSecret.generate();
        SecretCipher.Sealed one = cipher.encrypt(secret, "wh_1");
        SecretCipher.Sealed two = cipher.encrypt(secret, "wh_1");
        assertEquals(12, one.nonce().length);
        assertNotEquals(
                Base64.getEncoder().encodeToString(one.nonce()),
                Base64.getEncoder().encodeToString(two.nonce()));
        assertEquals(secret.reveal(), cipher.decrypt(one, "wh_1").reveal());
        assertEquals(secret.reveal(), cipher.decrypt(two, "wh_1").reveal());
    }

    @Test
    void a_ciphertext_moved_to_another_webhook_does_not_decrypt() {
        SecretCipher cipher = new SecretCipher(MasterKeyRing.parse(Optional.of(KEY_A), true));
        SecretCipher.Sealed sealed = cipher.encrypt(WebhookSecret.generate(), "wh_1");
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "wh_2"));
    }

    @Test
    void after_master_key_rotation_old_secrets_decrypt_and_new_ones_use_the_new_key() {
        SecretCipher old = new SecretCipher(MasterKeyRing.parse(Optional.of(KEY_A), true));
        WebhookSecret secret = WebhookSecret.generate();
        SecretCipher.Sealed sealedUnderA = old.encrypt(secret, "wh_1");

        SecretCipher rotated = new SecretCipher(MasterKeyRing.parse(Optional.of(KEY_B + "," + KEY_A), true));
        assertEquals(secret.reveal(), rotated.decrypt(sealedUnderA, "wh_1").reveal());
        SecretCipher.Sealed sealedUnderB = rotated.encrypt(secret, "wh_1");
        assertNotEquals(sealedUnderA.keyId(), sealedUnderB.keyId());

        SecretCipher onlyB = new SecretCipher(MasterKeyRing.parse(Optional.of(KEY_B), true));
        assertEquals(secret.reveal(), onlyB.decrypt(sealedUnderB, "wh_1").reveal());
        IllegalStateException gone =
                assertThrows(IllegalStateException.class, () -> onlyB.decrypt(sealedUnderA, "wh_1"));
        assertTrue(gone.getMessage().contains(sealedUnderA.keyId()));
    }

    @Test
    void the_secret_format_is_whsec_and_32_random_bytes_and_to_string_hides_it() {
        WebhookSecret secret = WebhookSecret.generate();
        assertTrue(secret.reveal().startsWith("whsec_"));
        assertEquals(32, secret.standardWebhooksKey().length);
        assertArrayEquals(secret.reveal().getBytes(), secret.hexSignatureKey());
        assertEquals("whsec_***", secret.toString());
    }
}
