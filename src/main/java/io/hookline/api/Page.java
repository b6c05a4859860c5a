package io.hookline.api;

import java.util.List;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One page of a cursor-paginated list: pass {@code next} as {@code after} to get the following page. */
public record Page<T>(List<T> data, @Schema(description = "Cursor of the next page; absent on the last page") String next) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 250;

    /** Builds a page from {@code limit + 1} rows fetched in order: the extra row only says that there is more. */
    public static <R, T> Page<T> of(List<R> rows, int limit, Function<R, T> map, Function<R, String> cursor) {
        boolean more = rows.size() > limit;
        List<R> visible = more ? rows.subList(0, limit) : rows;
        return new Page<>(visible.stream().map(map).toList(), more ? cursor.apply(visible.get(limit - 1)) : null);
    }

    /** Checks a {@code limit} query parameter: absent means the default, out of range is a 422. */
    public static int limit(Integer requested) {
        if (requested == null) {
            return DEFAULT_LIMIT;
        }
        if (requested < 1 || requested > MAX_LIMIT) {
            throw ProblemException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return requested;
    }
}
