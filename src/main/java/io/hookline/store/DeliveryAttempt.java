package io.hookline.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.Immutable;

/** One logged attempt of a delivery, read side: immutable here, written only by {@link DeliveryQueue#record}. */
@Entity
@Immutable
@Table(name = "delivery_attempt")
@IdClass(DeliveryAttempt.Key.class)
public class DeliveryAttempt extends PanacheEntityBase {
    @Id
    @Column(name = "delivery_id")
    public String deliveryId;

    @Id
    public int attempt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "duration_ms")
    public int durationMs;

    @Column(name = "response_status")
    public Integer responseStatus;

    @Column(name = "response_body")
    public String responseBody;

    @Column(name = "error_class")
    @Convert(converter = EnumColumns.ErrorClassColumn.class)
    public ErrorClass errorClass;

    @Column(name = "error_message")
    public String errorMessage;

    public static List<DeliveryAttempt> of(String deliveryId) {
        return list("deliveryId = ?1 order by attempt", deliveryId);
    }

    public static class Key implements Serializable {
        public String deliveryId;
        public int attempt;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.attempt == attempt && k.deliveryId.equals(deliveryId);
        }

        @Override
        public int hashCode() {
            return deliveryId.hashCode() * 31 + attempt;
        }
    }
}
