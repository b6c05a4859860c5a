package io.hookline.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;

/**
 * A bench-only RSA key pair and RS256 access tokens signed with it, from JDK crypto alone. The service verifies them
 * locally with {@code QUARKUS_OIDC_PUBLIC_KEY} (quarkus-oidc's public-key verification: no OIDC server, no network).
 * This class is threadsafe.
 */
final class Jwt {
    static final String ISSUER = "hookline-bench";

    private final KeyPair keys;

    private Jwt(KeyPair keys) {
        this.keys = keys;
    }

    static Jwt generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new Jwt(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as quarkus.oidc.public-key takes it: base64 of the DER SubjectPublicKeyInfo (PEM body). */
    String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    /** An access token for {@code tenant}, valid for {@code seconds}. */
    String token(String tenant, long seconds) {
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String payload = "{\"iss\":\"" + ISSUER + "\",\"sub\":\"bench-publisher\",\"tenant\":\"" + tenant
                + "\",\"iat\":" + now + ",\"exp\":" + (now + seconds) + "}";
        String signingInput =
                b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(keys.getPrivate());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
