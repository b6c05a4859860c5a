package io.hookline.config;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.OverridesAttribute;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

/**
 * The messages shared by the constraints of {@link HooklineConfig}, and its rules between two keys of one group. Such
 * a rule is a constraint on the group, so SmallRye Config reports it as the group's key followed by the message; the
 * message therefore starts with the key at fault: {@code hookline.delivery max-in-flight-per-webhook (32) must not
 * exceed max-in-flight (16)}.
 */
public final class Rules {
    static final String POSITIVE = "must be a positive duration such as 10s (was ${validatedValue})";
    static final String AT_LEAST_ONE = "must be >= 1 (was ${validatedValue})";
    static final String AT_LEAST_ONE_SECOND = "must be at least 1s (was ${validatedValue})";

    private Rules() {}

    /**
     * A number between {@link #min} and {@link #max}, reported as one violation when it breaks either bound (NaN
     * breaks both).
     */
    @Documented
    @Constraint(validatedBy = {})
    @DecimalMin("0")
    @DecimalMax("0")
    @ReportAsSingleViolation
    @Target({METHOD, ANNOTATION_TYPE})
    @Retention(RUNTIME)
    public @interface Within {
        @OverridesAttribute(constraint = DecimalMin.class, name = "value")
        String min();

        @OverridesAttribute(constraint = DecimalMin.class, name = "inclusive")
        boolean minInclusive() default true;

        @OverridesAttribute(constraint = DecimalMax.class, name = "value")
        String max();

        @OverridesAttribute(constraint = DecimalMax.class, name = "inclusive")
        boolean maxInclusive() default true;

        String message();

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }

    /**
     * The per-webhook ceiling ({@code hookline.delivery.max-concurrency-per-webhook}, or the deprecated
     * {@code max-in-flight-per-webhook}) is at most {@code max-in-flight}, and only one of the two keys is set.
     */
    @Documented
    @Constraint(validatedBy = PerWebhookWithinTotal.Check.class)
    @Target(TYPE)
    @Retention(RUNTIME)
    public @interface PerWebhookWithinTotal {
        String message() default "";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Check implements ConstraintValidator<PerWebhookWithinTotal, HooklineConfig.Delivery> {
            @Override
            public boolean isValid(HooklineConfig.Delivery d, ConstraintValidatorContext context) {
                if (d.maxConcurrencyPerWebhook().isPresent()
                        && d.maxInFlightPerWebhook().isPresent()) {
                    return refuse(
                            context,
                            "max-in-flight-per-webhook is deprecated and max-concurrency-per-webhook is set too: keep"
                                    + " only max-concurrency-per-webhook");
                }
                String key = d.maxInFlightPerWebhook().isPresent()
                        ? "max-in-flight-per-webhook"
                        : "max-concurrency-per-webhook";
                int ceiling = DeliveryLimits.ceiling(d);
                return ceiling <= d.maxInFlight()
                        || refuse(
                                context,
                                key + " (" + ceiling + ") must not exceed max-in-flight (" + d.maxInFlight() + ")");
            }
        }
    }

    /**
     * {@code hookline.test-send.max-concurrent-per-tenant} is at most {@code max-concurrent} (when that is itself
     * valid: a {@code max-concurrent} below 1 is reported on its own).
     */
    @Documented
    @Constraint(validatedBy = PerTenantWithinTotal.Check.class)
    @Target(TYPE)
    @Retention(RUNTIME)
    public @interface PerTenantWithinTotal {
        String message() default "";

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};

        class Check implements ConstraintValidator<PerTenantWithinTotal, HooklineConfig.TestSend> {
            @Override
            public boolean isValid(HooklineConfig.TestSend t, ConstraintValidatorContext context) {
                return t.maxConcurrentPerTenant() <= Math.max(1, t.maxConcurrent())
                        || refuse(
                                context,
                                "max-concurrent-per-tenant (" + t.maxConcurrentPerTenant()
                                        + ") must not exceed max-concurrent (" + t.maxConcurrent() + ")");
            }
        }
    }

    /** Reports {@code message} (numbers and key names only, so it needs no escaping) instead of the default. */
    private static boolean refuse(ConstraintValidatorContext context, String message) {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(message).addConstraintViolation();
        return false;
    }
}
