package io.hookline.crypto;

import io.hookline.testsupport.UnitTest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up check of hookline.secrets.master-key: production refuses to start without a good key. */
@UnitTest
class MasterKeyRingTest {

    private static String refusal(Optional<String> value, boolean production) {
        return assertThrows(IllegalArgumentException.class, () -> MasterKeyRing.parse(value, production))
                .getMessage();
    }

    @Test
    void a_missing_key_is_refused_with_the_key_name() {
        assertTrue(refusal(Optional.empty(), true).contains("HOOKLINE_SECRETS_MASTER_KEY"));
        assertTrue(refusal(Optional.of("  "), true).contains("is not set"));
    }

    @Test
    void a_malformed_key_is_refused_saying_which_entry_and_why() {
        assertTrue(refusal(Optional.of("not base64!"), true).contains("entry 1"));
        String shortKey = refusal(Optional.of(SecretCipherTest.KEY_A + ",AAAA"), true);
        assertTrue(shortKey.contains("entry 2") && shortKey.contains("3 bytes"), shortKey);
        assertTrue(refusal(Optional.of(SecretCipherTest.KEY_A + "," + SecretCipherTest.KEY_A), true)
                .contains("repeats"));
    }

    @Test
    void production_refuses_the_public_development_key_which_dev_accepts() {
        assertTrue(refusal(Optional.of(MasterKeyRing.DEVELOPMENT_KEY), true).contains("development key"));
        String unpadded = MasterKeyRing.DEVELOPMENT_KEY.replace("=", "");
        assertTrue(refusal(Optional.of(SecretCipherTest.KEY_A + "," + unpadded), true)
                .contains("entry 2"));
        assertTrue(MasterKeyRing.parse(Optional.of(MasterKeyRing.DEVELOPMENT_KEY), false)
                .usesDevelopmentKey());
        assertDoesNotThrow(() -> MasterKeyRing.parse(Optional.of(SecretCipherTest.KEY_A), true));
    }
}
