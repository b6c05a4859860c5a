package io.hookline.contract;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.List;
import java.util.regex.Pattern;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

/**
 * A webhook's event type filter: at most {@value #MAX_ENTRIES} entries, each an event type of 1 to
 * {@value #MAX_TYPE} characters of {@code [a-z0-9_.-]}, optionally ending in {@code *} to match every type with that
 * prefix. The size is checked before any entry, so a list of 100,000 entries costs one comparison and one message,
 * not 100,000; within the bound each broken entry is reported as {@code eventTypes[i]}. Null is valid (no filter).
 */
@Documented
@Constraint(validatedBy = EventTypeFilter.Check.class)
@Target({FIELD, METHOD, PARAMETER, ANNOTATION_TYPE})
@Retention(RUNTIME)
public @interface EventTypeFilter {
    int MAX_ENTRIES = 100;
    int MAX_TYPE = 255;

    String message() default "is not a valid event type filter";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The rules, in the order they are checked; one message per entry. */
    class Check implements ConstraintValidator<EventTypeFilter, List<String>> {
        private static final Pattern FILTER = Pattern.compile("[a-z0-9_.-]*\\*?");

        @Override
        public boolean isValid(List<String> types, ConstraintValidatorContext context) {
            if (types == null) {
                return true;
            }
            if (types.size() > MAX_ENTRIES) {
                return Refusal.refuse(
                        context, "must have at most " + MAX_ENTRIES + " entries (has " + types.size() + ")");
            }
            boolean valid = true;
            for (int i = 0; i < types.size(); i++) {
                String refusal = refusal(types.get(i));
                if (refusal != null) {
                    if (valid) {
                        context.disableDefaultConstraintViolation();
                        valid = false;
                    }
                    context.buildConstraintViolationWithTemplate(Refusal.literal(refusal))
                            .addBeanNode()
                            .inIterable()
                            .atIndex(i)
                            .addConstraintViolation();
                }
            }
            return valid;
        }

        /** Why one entry is refused, or null; a JSON value that is not a string is read as null. */
        static String refusal(String type) {
            if (type == null) {
                return "must be a string";
            }
            if (type.isEmpty()) {
                return "must not be empty";
            }
            if (type.length() > MAX_TYPE) {
                return "must be at most " + MAX_TYPE + " characters";
            }
            if (!FILTER.matcher(type).matches()) {
                return "must be made of a-z, 0-9, '_', '.', '-', optionally ending in '*' (e.g. transaction.*)";
            }
            return null;
        }
    }
}
