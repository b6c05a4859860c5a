package io.hookline.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import org.hibernate.annotations.Immutable;

/** A published event, read side. Written with plain SQL by the events service ({@code EventService.insertEvent}). */
@Entity
@Immutable
@Table(name = "event")
public class StoredEvent extends PanacheEntityBase {
    @Id
    public String id;

    public String tenant;
    public String type;
    public byte[] body;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "created_at")
    public Instant createdAt;

    public static Optional<StoredEvent> findForTenant(String tenant, String id) {
        return find("id = ?1 and tenant = ?2", id, tenant).firstResultOptional();
    }
}
