package io.hookline.store;

import io.hookline.crypto.SecretCipher;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An inbound source: where a provider's webhooks come in ({@code /ingest/{id}}) and how they are verified. The
 * provider's secret is AES-GCM ciphertext with the source id as associated data; a deleted source keeps its row (its
 * ingest log refers to it) without the secret.
 */
@Entity
@Table(name = "source")
public class Source extends PanacheEntityBase {
    @Id
    public String id;

    public String tenant;

    /** The wire name of an {@link io.hookline.ingest.Provider}. */
    public String provider;

    public String description;

    @Column(name = "signature_header")
    public String signatureHeader;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "type_mapping", columnDefinition = "jsonb")
    public Map<String, String> typeMapping = new LinkedHashMap<>();

    @Column(name = "key_id")
    public String keyId;

    public byte[] nonce;
    public byte[] ciphertext;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    /** Written with SQL by the ingest path, at most once a minute; read here. */
    @Column(name = "last_rejected_at", insertable = false, updatable = false)
    public Instant lastRejectedAt;

    @Column(name = "last_rejection", insertable = false, updatable = false)
    public String lastRejection;

    public void seal(SecretCipher.Sealed sealed) {
        keyId = sealed.keyId();
        nonce = sealed.nonce();
        ciphertext = sealed.ciphertext();
    }

    public SecretCipher.Sealed sealed() {
        return new SecretCipher.Sealed(keyId, nonce, ciphertext);
    }

    /** The tenant's live source with that id: another tenant's id is simply not found. */
    public static Optional<Source> findLive(String tenant, String id) {
        return find("id = ?1 and tenant = ?2 and deletedAt is null", id, tenant).firstResultOptional();
    }

    /** The live source with that id, whoever owns it (the public ingest path knows no tenant). */
    public static Optional<Source> findLive(String id) {
        return find("id = ?1 and deletedAt is null", id).firstResultOptional();
    }
}
