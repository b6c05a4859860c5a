package io.hookline.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a cursor-paginated list: pass {@code next} as {@code after} to get the following page. */
@RegisterForReflection
public record Page<T>(
        List<T> data,

        @Schema(description = "Cursor of the next page; absent on the last page")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        String next) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 250;
    /** A cursor is an id. */
    public static final int MAX_CURSOR = Text.MAX_ID;

    private static final Pattern CURSOR = Pattern.compile("[0-9A-Za-z_]{1," + MAX_CURSOR + "}");

    /** Builds a page from {@code limit + 1} rows fetched in order: the extra row only says that there is more. */
    public static <R, T> Page<T> of(List<R> rows, int limit, Function<R, T> map, Function<R, String> cursor) {
        boolean more = rows.size() > limit;
        List<R> visible = more ? rows.subList(0, limit) : rows;
        return new Page<>(visible.stream().map(map).toList(), more ? cursor.apply(visible.get(limit - 1)) : null);
    }

    /**
     * Checks a {@code limit} query parameter: absent means the default; anything but an integer from 1 to 250 is a
     * 422 (taken as a string, because JAX-RS answers an unconvertible query parameter with a puzzling 404).
     */
    public static int limit(String requested) {
        if (requested == null || requested.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(requested);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.invalid("limit", "must be an integer between 1 and " + MAX_LIMIT);
    }

    /**
     * Checks an {@code after} query parameter: absent or empty means the first page; otherwise it must look like a
     * {@code next} value (an id: letters, digits, '_', at most 64 characters), or it is a 422 naming {@code after}.
     */
    public static String after(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        if (!CURSOR.matcher(cursor).matches()) {
            throw ProblemException.invalid(
                    "after",
                    "must be the next value of a previous page (at most " + MAX_CURSOR
                            + " characters of letters, digits and '_')");
        }
        return cursor;
    }
}
