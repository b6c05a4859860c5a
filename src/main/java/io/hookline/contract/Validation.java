package io.hookline.contract;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The field errors of one request, turned into one 422 problem that names them all. Bean Validation finds them
 * (constraints on the request records, see {@link WebhookUrl}, {@link EventTypeFilter}); this class turns each
 * {@link ConstraintViolation} into a field error with the JSON path of the value ({@code url}, {@code eventTypes[2]}),
 * in the order of the record's fields. The hand-written readers of JSON ({@code PublishRequest}, a webhook PATCH) add
 * the errors of the body's shape (a wrong JSON type, an unknown field) with {@link #fail}.
 * <p>
 * At most {@link #MAX_LISTED} are kept; the rest are only counted, so a request with 100,000 bad items costs a
 * counter, not 100,000 messages (it used to: a 9.6 MB answer and gigabytes of heap).
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

    /** Adds one field error per violation, ordered by the fields of the validated record, then by position. */
    public Validation add(Collection<? extends ConstraintViolation<?>> violations) {
        List<? extends ConstraintViolation<?>> sorted = new ArrayList<>(violations);
        sorted.sort(Comparator.comparingInt(Validation::declaredAt)
                .thenComparingInt(Validation::indexOf)
                .thenComparing(v -> field(v.getPropertyPath()))
                .thenComparing(ConstraintViolation::getMessage));
        for (ConstraintViolation<?> v : sorted) {
            fail(field(v.getPropertyPath()), v.getMessage());
        }
        return this;
    }

    /** Adds the violations of a value that is not a field of a record (a header), each under {@code field}. */
    public Validation add(String field, Collection<? extends ConstraintViolation<?>> violations) {
        violations.stream().map(ConstraintViolation::getMessage).sorted().forEach(m -> fail(field, m));
        return this;
    }

    /** Fails {@code field} when its text cannot be stored by PostgreSQL; true when it can (or is null). */
    public boolean storable(String field, String value) {
        if (value != null && !Text.storable(value)) {
            fail(field, Text.UNSTORABLE);
            return false;
        }
        return true;
    }

    public boolean ok() {
        return count == 0;
    }

    public void throwIfInvalid() {
        if (count > 0) {
            throw problem();
        }
    }

    /** The 422 of the errors so far. */
    public ProblemException problem() {
        return ProblemException.invalid(errors, count - errors.size());
    }

    /**
     * The JSON path of a violation's value, in the form of every other field error: {@code url},
     * {@code eventTypes[2]}, {@code items[0].name}. The method and parameter of a validated resource method
     * ({@code createWebhook.request.url}) are left out: the caller sent a body, not a parameter.
     */
    static String field(Path path) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : path) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, PARAMETER, CROSS_PARAMETER, RETURN_VALUE -> field.setLength(0);
                default -> {
                    if (node.isInIterable()) {
                        field.append('[')
                                .append(node.getIndex() != null ? node.getIndex() : node.getKey())
                                .append(']');
                    }
                    if (node.getKind() != ElementKind.CONTAINER_ELEMENT
                            && node.getName() != null
                            && !node.getName().isEmpty()) {
                        field.append(field.isEmpty() ? "" : ".").append(node.getName());
                    }
                }
            }
        }
        return field.toString();
    }

    /** Where the violation's top-level field is declared in its record (the order of the API document). */
    private static int declaredAt(ConstraintViolation<?> v) {
        Object bean =
                v.getLeafBean() != null && v.getLeafBean().getClass().isRecord() ? v.getLeafBean() : v.getRootBean();
        String name = firstProperty(v.getPropertyPath());
        if (bean == null || name == null || !bean.getClass().isRecord()) {
            return Integer.MAX_VALUE;
        }
        RecordComponent[] components = bean.getClass().getRecordComponents();
        for (int i = 0; i < components.length; i++) {
            if (components[i].getName().equals(name)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static String firstProperty(Path path) {
        String name = null;
        for (Path.Node node : path) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, PARAMETER, CROSS_PARAMETER, RETURN_VALUE -> name = null;
                case PROPERTY -> {
                    if (name == null) {
                        name = node.getName();
                    }
                }
                default -> {}
            }
        }
        return name;
    }

    /** The position of the value in its list ({@code eventTypes[10]} after {@code eventTypes[9]}), else -1. */
    private static int indexOf(ConstraintViolation<?> v) {
        for (Path.Node node : v.getPropertyPath()) {
            if (node.isInIterable() && node.getIndex() != null) {
                return node.getIndex();
            }
        }
        return -1;
    }
}
