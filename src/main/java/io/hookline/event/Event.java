package io.hookline.event;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import org.hibernate.annotations.Immutable;

/** A published event, read side. Written by {@link EventService} with plain SQL. */
@Entity
@Immutable
@Table(name = "event")
public class Event extends PanacheEntityBase {
    @Id
    public String id;

    public String tenant;
    public String type;
    public byte[] body;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "created_at")
    public Instant createdAt;

    public static Optional<Event> findForTenant(String tenant, String id) {
        return find("id = ?1 and tenant = ?2", id, tenant).firstResultOptional();
    }
}
