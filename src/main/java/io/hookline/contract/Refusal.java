package io.hookline.contract;

import jakarta.validation.ConstraintValidatorContext;

/**
 * The message of a constraint that explains which of its rules was broken. The text is taken literally: braces and
 * dollar signs are escaped, so nothing in it is read as a message parameter or an expression.
 */
final class Refusal {
    private Refusal() {}

    /** Reports {@code message} instead of the constraint's default message; returns false, for {@code isValid}. */
    static boolean refuse(ConstraintValidatorContext context, String message) {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(literal(message)).addConstraintViolation();
        return false;
    }

    /** {@code message} as a message template that interpolates to itself. */
    static String literal(String message) {
        StringBuilder s = new StringBuilder(message.length() + 8);
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\\' || c == '{' || c == '}' || c == '$') {
                s.append('\\');
            }
            s.append(c);
        }
        return s.toString();
    }
}
