package io.hookline.contract;

import jakarta.validation.Constraint;
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
 * A URL a webhook may deliver to: an absolute http or https URL naming a host, without user information or fragment,
 * at most {@value #MAX_LENGTH} characters PostgreSQL can store. Unless {@code hookline.delivery.allow-private-networks}
 * is set, it must also use https and must not name localhost or an IP literal the address rules refuse (host names
 * are checked again after DNS resolution, at every send). A value breaking several rules gets one message, for the
 * first of them. Null is valid: add {@code @NotNull} where the URL is required. See {@link WebhookUrlValidator}.
 */
@Documented
@Constraint(validatedBy = WebhookUrlValidator.class)
@Target({FIELD, METHOD, PARAMETER, ANNOTATION_TYPE})
@Retention(RUNTIME)
public @interface WebhookUrl {
    int MAX_LENGTH = 2048;

    String message() default "is not a URL a webhook may deliver to";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
