package io.hookline.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import org.hibernate.annotations.Immutable;

/** A delivery, read side (the delivery log): immutable here, written only by the statements of {@link DeliveryQueue}. */
@Entity
@Immutable
@Table(name = "delivery")
public class Delivery extends PanacheEntityBase {
    @Id
    public String id;

    @Column(name = "event_id")
    public String eventId;

    @Column(name = "webhook_id")
    public String webhookId;

    public String tenant;

    @Convert(converter = EnumColumns.StatusColumn.class)
    public DeliveryStatus status;

    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "last_status_code")
    public Integer lastStatusCode;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "completed_at")
    public Instant completedAt;

    public static Optional<Delivery> findForTenant(String tenant, String id) {
        return find("id = ?1 and tenant = ?2", id, tenant).firstResultOptional();
    }
}
