package io.hookline.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A customer's endpoint. Revoked webhooks stay as rows (the delivery log refers to them) but are invisible. */
@Entity
@Table(name = "webhook")
public class Webhook extends PanacheEntityBase {
    @Id
    public String id;

    public String tenant;
    public String url;
    public String description;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "event_types", columnDefinition = "text[]")
    public String[] eventTypes;

    public boolean enabled;

    @Column(name = "disabled_reason")
    public String disabledReason;

    @Column(name = "consecutive_failures")
    public int consecutiveFailures;

    @Column(name = "failing_since")
    public Instant failingSince;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** The customer's cap on requests in flight to this endpoint at once (per replica); null: none. */
    @Column(name = "max_concurrency")
    public Integer maxConcurrency;

    /** The tenant's live (not revoked) webhook with that id: another tenant's id is simply not found. */
    public static Optional<Webhook> findLive(String tenant, String id) {
        return find("id = ?1 and tenant = ?2 and revokedAt is null", id, tenant).firstResultOptional();
    }
}
