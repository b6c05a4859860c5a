package io.hookline.portal;

import io.hookline.contract.Problem;
import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The endpoint form as the customer filled it in: the event-type filter as boxes ticked among the types the tenant has
 * published plus any typed by hand, and the problems the API found, each next to its field.
 */
@TemplateData
public record EndpointForm(
        String url, String description, List<TypeChoice> choices, String otherTypes, Map<String, String> errors) {

    @TemplateData
    public record TypeChoice(String type, boolean checked) {}

    /** A form showing {@code selected} (the current filter) against the tenant's published {@code known} types. */
    static EndpointForm of(String url, String description, List<String> selected, List<String> known) {
        List<TypeChoice> choices = new ArrayList<>();
        for (String type : known) {
            choices.add(new TypeChoice(type, selected.contains(type)));
        }
        List<String> other =
                selected.stream().filter(type -> !known.contains(type)).toList();
        return new EndpointForm(
                url == null ? "" : url,
                description == null ? "" : description,
                choices,
                String.join(", ", other),
                Map.of());
    }

    /** The filter the form asks for: the ticked types, then the typed ones (separated by commas, spaces or lines). */
    static List<String> eventTypes(List<String> ticked, String typed) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        if (ticked != null) {
            ticked.stream().filter(t -> !t.isBlank()).map(String::trim).forEach(all::add);
        }
        if (typed != null) {
            Arrays.stream(typed.split("[,\\s]+")).filter(t -> !t.isBlank()).forEach(all::add);
        }
        return List.copyOf(all);
    }

    /**
     * The same form with the API's field errors placed next to their fields: {@code eventTypes[3]} is shown at the
     * filter, naming the entry at fault.
     */
    EndpointForm withErrors(List<Problem.FieldError> fieldErrors, List<String> sentTypes, String detail) {
        Map<String, String> placed = new LinkedHashMap<>();
        if (fieldErrors != null) {
            for (Problem.FieldError e : fieldErrors) {
                String field = e.field();
                String message = e.message();
                if (field.startsWith("eventTypes[")) {
                    int i = parseIndex(field);
                    message = (i >= 0 && i < sentTypes.size() ? "'" + sentTypes.get(i) + "' " : "") + message;
                    field = "eventTypes";
                }
                placed.merge(field, message, (a, b) -> a + "; " + b);
            }
        }
        if (placed.isEmpty()) {
            placed.put("form", detail);
        }
        return new EndpointForm(url, description, choices, otherTypes, placed);
    }

    public String error(String field) {
        return errors.get(field);
    }

    public boolean hasError(String field) {
        return errors.containsKey(field);
    }

    /** Errors about fields the form does not show (or none at all), shown above it. */
    public String formError() {
        List<String> rest = new ArrayList<>();
        errors.forEach((field, message) -> {
            if (!List.of("url", "description", "eventTypes").contains(field)) {
                rest.add(field.equals("form") ? message : field + ": " + message);
            }
        });
        return rest.isEmpty() ? null : String.join("; ", rest);
    }

    /** Ticked boxes keep their state across a failed submission. */
    EndpointForm ticking(List<String> ticked) {
        List<TypeChoice> updated = choices.stream()
                .map(c -> new TypeChoice(c.type(), ticked != null && ticked.contains(c.type())))
                .toList();
        return new EndpointForm(url, description, updated, otherTypes, errors);
    }

    private static int parseIndex(String field) {
        try {
            return Integer.parseInt(field.substring("eventTypes[".length(), field.indexOf(']')));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
