package io.hookline.store;

import io.hookline.crypto.SecretCipher;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** A webhook secret as stored: AES-GCM ciphertext, never plaintext. */
@Entity
@Table(name = "webhook_secret")
public class StoredSecret extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "webhook_id")
    public String webhookId;

    @Column(name = "key_id")
    public String keyId;

    public byte[] nonce;
    public byte[] ciphertext;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    public static StoredSecret of(String webhookId, SecretCipher.Sealed sealed, Instant now) {
        StoredSecret s = new StoredSecret();
        s.webhookId = webhookId;
        s.keyId = sealed.keyId();
        s.nonce = sealed.nonce();
        s.ciphertext = sealed.ciphertext();
        s.createdAt = now;
        return s;
    }

    public SecretCipher.Sealed sealed() {
        return new SecretCipher.Sealed(keyId, nonce, ciphertext);
    }

    /** Secrets that still sign at {@code now}: the current one and any in their rotation grace period, newest first. */
    public static List<StoredSecret> valid(String webhookId, Instant now) {
        return list(
                "webhookId = ?1 and (expiresAt is null or expiresAt > ?2) order by createdAt desc, id desc",
                webhookId,
                now);
    }
}
