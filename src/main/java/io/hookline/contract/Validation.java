package io.hookline.contract;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the field errors of a request so the answer names them at once, then throws a 422. At most
 * {@link #MAX_LISTED} are kept; the rest are only counted, so a request with 100,000 bad items costs a counter, not
 * 100,000 messages (it used to: a 9.6 MB answer and gigabytes of heap).
 */
public final class Validation {
    /** Field errors listed in one answer; the detail says how many more there were. */
    public static final int MAX_LISTED = 20;

    private final List<Problem.FieldError> errors = new ArrayList<>();
    private int count;

    public Validation fail(String field, String message) {
        count++;
        if (errors.size() < MAX_LISTED) {
            errors.add(new Problem.FieldError(Text.clip(field, Text.MAX_ECHO), message));
        }
        return this;
    }

    /** Fails {@code field} when {@code value} cannot be stored (see {@link Text}); true when it can. */
    public boolean storable(String field, String value) {
        if (Text.storable(value)) {
            return true;
        }
        fail(field, Text.UNSTORABLE);
        return false;
    }

    public boolean ok() {
        return count == 0;
    }

    public void throwIfInvalid() {
        if (count > 0) {
            throw ProblemException.invalid(errors, count - errors.size());
        }
    }
}
