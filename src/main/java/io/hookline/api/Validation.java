package io.hookline.api;

import java.util.ArrayList;
import java.util.List;

/** Collects every field error of a request so the answer names them all at once, then throws a 422. */
public final class Validation {
    private final List<Problem.FieldError> errors = new ArrayList<>();

    public Validation fail(String field, String message) {
        errors.add(new Problem.FieldError(field, message));
        return this;
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }
}
