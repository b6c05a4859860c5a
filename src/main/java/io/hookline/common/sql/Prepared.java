package io.hookline.common.sql;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@link Sql} statement prepared on a connection, bound by name: {@code set("now", now)} binds every place
 * {@code :now} appears. A name the statement does not have fails at once; executing with a name left unbound fails
 * before anything is sent. Close it like the {@link PreparedStatement} it wraps. Not threadsafe (one per use).
 */
public final class Prepared implements AutoCloseable {
    private final Sql sql;
    private final PreparedStatement ps;
    private final Set<String> bound = new HashSet<>();

    Prepared(Sql sql, PreparedStatement ps) {
        this.sql = sql;
        this.ps = ps;
    }

    private interface Binder {
        void bind(int position) throws SQLException;
    }

    private Prepared bind(String name, Binder binder) throws SQLException {
        for (int position : sql.positions(name)) {
            binder.bind(position);
        }
        bound.add(name);
        return this;
    }

    public Prepared set(String name, String value) throws SQLException {
        return bind(name, p -> ps.setString(p, value));
    }

    public Prepared set(String name, int value) throws SQLException {
        return bind(name, p -> ps.setInt(p, value));
    }

    public Prepared set(String name, long value) throws SQLException {
        return bind(name, p -> ps.setLong(p, value));
    }

    public Prepared set(String name, boolean value) throws SQLException {
        return bind(name, p -> ps.setBoolean(p, value));
    }

    public Prepared set(String name, byte[] value) throws SQLException {
        return bind(name, p -> ps.setBytes(p, value));
    }

    /** A {@code timestamptz}: sent as an {@link OffsetDateTime} in UTC. */
    public Prepared set(String name, Instant value) throws SQLException {
        OffsetDateTime at = value == null ? null : OffsetDateTime.ofInstant(value, ZoneOffset.UTC);
        return bind(name, p -> ps.setObject(p, at));
    }

    /** An array, usually from {@link Columns}. */
    public Prepared set(String name, Array value) throws SQLException {
        return bind(name, p -> ps.setArray(p, value));
    }

    public ResultSet executeQuery() throws SQLException {
        requireAllBound();
        return ps.executeQuery();
    }

    public int executeUpdate() throws SQLException {
        requireAllBound();
        return ps.executeUpdate();
    }

    private void requireAllBound() {
        List<String> missing = new ArrayList<>();
        for (String name : sql.parameters()) {
            if (!bound.contains(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(sql.name() + ": no value bound for " + Sql.describe(missing));
        }
    }

    @Override
    public void close() throws SQLException {
        ps.close();
    }
}
