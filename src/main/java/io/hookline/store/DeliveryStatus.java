package io.hookline.store;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Where a delivery stands. A closed set: the {@code delivery_status} CHECK constraint of the schema holds the same
 * values (DatabaseEnumsTest keeps them equal), and {@link #value()} is the string stored in {@code delivery.status}
 * and sent in the API. pending → in_flight (claimed) → succeeded, failed or back to pending for a retry; pending →
 * cancelled when its webhook is disabled or revoked.
 */
@Schema(
        name = "DeliveryStatus",
        enumeration = {"pending", "in_flight", "succeeded", "failed", "cancelled"})
public enum DeliveryStatus {
    PENDING("pending"),
    IN_FLIGHT("in_flight"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    CANCELLED("cancelled");

    /** Every value, in the order above, as the API lists them. */
    public static final List<String> VALUES =
            Arrays.stream(values()).map(DeliveryStatus::value).toList();

    private final String value;

    DeliveryStatus(String value) {
        this.value = value;
    }

    /** The string in the database and on the wire. */
    public String value() {
        return value;
    }

    /** @return the status whose {@link #value()} is {@code value}; empty for any other string */
    public static Optional<DeliveryStatus> of(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
