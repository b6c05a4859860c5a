package io.hookline.common.sql;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * The columns of a batch written with one statement: each column one PostgreSQL array, taken from every row in
 * order, which the statement turns back into rows with {@code unnest(:a::text[], :b::bigint[], …)}. One round trip for
 * the whole batch instead of one per row. Not threadsafe (one per batch).
 *
 * @param <T> a row of the batch
 */
public final class Columns<T> {
    private final Connection c;
    private final List<T> rows;

    private Columns(Connection c, List<T> rows) {
        this.c = c;
        this.rows = rows;
    }

    public static <T> Columns<T> of(Connection c, List<T> rows) {
        return new Columns<>(c, rows);
    }

    /** A {@code text[]} of the given values, in order (an id list, say). */
    public static Array text(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray(String[]::new));
    }

    public Array text(Function<? super T, String> column) throws SQLException {
        return c.createArrayOf("text", rows.stream().map(column).toArray(String[]::new));
    }

    public Array bigint(Function<? super T, Long> column) throws SQLException {
        return c.createArrayOf("bigint", rows.stream().map(column).toArray(Long[]::new));
    }

    public Array integer(Function<? super T, Integer> column) throws SQLException {
        return c.createArrayOf("integer", rows.stream().map(column).toArray(Integer[]::new));
    }

    /** A {@code bytea[]} of the given values, in order (null stays null). */
    public Array bytea(Function<? super T, byte[]> column) throws SQLException {
        return c.createArrayOf("bytea", rows.stream().map(column).toArray(byte[][]::new));
    }

    public Array bool(Function<? super T, Boolean> column) throws SQLException {
        return c.createArrayOf("boolean", rows.stream().map(column).toArray(Boolean[]::new));
    }

    /**
     * Instants as a {@code text[]} of ISO-8601 strings (null stays null); the statement casts it
     * ({@code ::timestamptz[]}).
     */
    public Array timestamptz(Function<? super T, Instant> column) throws SQLException {
        return c.createArrayOf(
                "text",
                rows.stream()
                        .map(column)
                        .map(t -> t == null ? null : t.toString())
                        .toArray(String[]::new));
    }
}
