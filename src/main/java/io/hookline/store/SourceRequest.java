package io.hookline.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/**
 * One verified request of a source (its ingest log), read side. Written with plain SQL by the ingest path and the
 * publisher ({@code io.hookline.service.IngestService}, {@code io.hookline.service.IngestPublisher}).
 */
@Entity
@Immutable
@Table(name = "source_request")
public class SourceRequest extends PanacheEntityBase {
    @Id
    public String id;

    @Column(name = "source_id")
    public String sourceId;

    public String tenant;

    @Column(name = "received_at")
    public Instant receivedAt;

    @Column(name = "provider_event_id")
    public String providerEventId;

    @Column(name = "provider_event_type")
    public String providerEventType;

    /** {@code pending}, {@code published} or {@code failed}. */
    public String status;

    public int duplicates;

    @Column(name = "event_id")
    public String eventId;

    @Column(name = "event_type")
    public String eventType;

    @Column(name = "published_at")
    public Instant publishedAt;

    public String error;
}
