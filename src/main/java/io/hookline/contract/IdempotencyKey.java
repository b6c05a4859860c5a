package io.hookline.contract;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

/**
 * A key that de-duplicates a publish (the body's {@code id} or the {@code Idempotency-Key} header): 1 to
 * {@value #MAX_LENGTH} characters, not all whitespace, that PostgreSQL can store. Null is valid (no key).
 */
@Documented
@Constraint(validatedBy = IdempotencyKey.Check.class)
@Target({FIELD, METHOD, PARAMETER, ANNOTATION_TYPE})
@Retention(RUNTIME)
public @interface IdempotencyKey {
    int MAX_LENGTH = 255;

    String message() default "must be 1 to " + MAX_LENGTH + " characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<IdempotencyKey, String> {
        @Override
        public boolean isValid(String key, ConstraintValidatorContext context) {
            if (key == null) {
                return true;
            }
            if (key.isBlank() || key.length() > MAX_LENGTH) {
                return false;
            }
            return Text.storable(key) || Refusal.refuse(context, Text.UNSTORABLE);
        }
    }
}
