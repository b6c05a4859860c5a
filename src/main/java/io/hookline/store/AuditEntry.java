package io.hookline.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.Immutable;

/**
 * One line of a tenant's audit log: who changed what, and when. Written only by {@code service.AuditLog}, in the
 * transaction of the change it describes; never updated.
 */
@Entity
@Immutable
@Table(name = "audit_entry")
public class AuditEntry extends PanacheEntityBase {
    @Id
    public String id;

    public String tenant;

    @Column(name = "created_at")
    public Instant createdAt;

    public String action;

    @Column(name = "object_type")
    public String objectType;

    @Column(name = "object_id")
    public String objectId;

    /** How the actor reached the tenant: tenant, platform, portal or system. */
    @Column(name = "actor_via")
    public String actorVia;

    @Column(name = "actor_subject")
    public String actorSubject;

    @Column(name = "actor_client")
    public String actorClient;

    public String detail;

    /** {@code limit + 1} entries of the tenant, newest first, after the cursor {@code after} (null: from the top). */
    public static List<AuditEntry> page(String tenant, int limit, String after) {
        return after == null
                ? find("tenant = ?1 order by id desc", tenant).range(0, limit).list()
                : find("tenant = ?1 and id < ?2 order by id desc", tenant, after)
                        .range(0, limit)
                        .list();
    }
}
