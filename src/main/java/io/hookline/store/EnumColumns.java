package io.hookline.store;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * Maps the closed-set text columns of the read-side entities to their enums by {@code value()} (the wire string), not
 * by the constant's name. A value outside the set cannot be in the table (CHECK constraints), so an unknown one is a
 * schema the code does not know: it fails loudly instead of reading as null.
 */
public final class EnumColumns {
    private EnumColumns() {}

    @Converter
    public static class StatusColumn implements AttributeConverter<DeliveryStatus, String> {
        @Override
        public String convertToDatabaseColumn(DeliveryStatus status) {
            return status == null ? null : status.value();
        }

        @Override
        public DeliveryStatus convertToEntityAttribute(String value) {
            return value == null
                    ? null
                    : DeliveryStatus.of(value)
                            .orElseThrow(() ->
                                    new IllegalStateException("unknown delivery status in the database: " + value));
        }
    }

    @Converter
    public static class ErrorClassColumn implements AttributeConverter<ErrorClass, String> {
        @Override
        public String convertToDatabaseColumn(ErrorClass errorClass) {
            return errorClass == null ? null : errorClass.value();
        }

        @Override
        public ErrorClass convertToEntityAttribute(String value) {
            return value == null
                    ? null
                    : ErrorClass.of(value)
                            .orElseThrow(
                                    () -> new IllegalStateException("unknown error class in the database: " + value));
        }
    }
}
