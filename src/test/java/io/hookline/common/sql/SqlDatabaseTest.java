package io.hookline.common.sql;

import io.agroal.api.AgroalDataSource;
import io.hookline.common.Ids;
import io.hookline.testsupport.Db;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Binding by name, the arrays of a batch and the transaction helper, against the real database. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class SqlDatabaseTest {
    private static final Instant AT = Instant.parse("2026-11-29T10:15:30.123456Z");

    @Inject
    AgroalDataSource dataSource;

    final String tenant = "sql-test-" + Ids.event();

    @AfterEach
    void deleteProbeRows() {
        Db.update("DELETE FROM event WHERE tenant = ?", tenant);
    }

    @Test
    void each_name_is_bound_at_every_place_it_appears_with_its_type() throws SQLException {
        Sql sql = Sql.parse(
                "probe.sql",
                "SELECT :s::text, :i::int + 1, :l::bigint, :b::bytea, :t::timestamptz, :s::text || '!', :i::int");
        try (Connection c = dataSource.getConnection();
                Prepared ps = sql.prepare(c)) {
            ps.set("s", "text")
                    .set("i", 41)
                    .set("l", 1L << 40)
                    .set("b", new byte[] {1, 2})
                    .set("t", AT);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("text", rs.getString(1));
                assertEquals(42, rs.getInt(2));
                assertEquals(1L << 40, rs.getLong(3));
                assertArrayEquals(new byte[] {1, 2}, rs.getBytes(4));
                assertEquals(AT, rs.getObject(5, OffsetDateTime.class).toInstant());
                assertEquals("text!", rs.getString(6));
                assertEquals(41, rs.getInt(7));
            }
        }
    }

    @Test
    void an_unknown_name_fails_at_once_and_a_missing_one_before_anything_is_sent() throws SQLException {
        Sql sql = Sql.parse("probe.sql", "SELECT :a::text, :b::text, :c::text");
        try (Connection c = dataSource.getConnection();
                Prepared ps = sql.prepare(c)) {
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ps.set("d", "x"));
            assertEquals("probe.sql has no parameter :d (it has :a, :b, :c)", unknown.getMessage());
            ps.set("b", "x");
            IllegalStateException missing = assertThrows(IllegalStateException.class, ps::executeQuery);
            assertEquals("probe.sql: no value bound for :a, :c", missing.getMessage());
        }
    }

    private record Row(String text, Long big, Integer number, Boolean flag, Instant at) {}

    @Test
    void the_columns_of_a_batch_come_back_as_its_rows_nulls_included() throws SQLException {
        List<Row> rows = List.of(new Row("a", 1L, 2, true, AT), new Row(null, null, null, null, null));
        Sql sql = Sql.parse(
                "probe.sql",
                "SELECT * FROM unnest(:t::text[], :b::bigint[], :n::int[], :f::boolean[], :at::timestamptz[])");
        List<Row> back = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Prepared ps = sql.prepare(c)) {
            Columns<Row> columns = Columns.of(c, rows);
            ps.set("t", columns.text(Row::text))
                    .set("b", columns.bigint(Row::big))
                    .set("n", columns.integer(Row::number))
                    .set("f", columns.bool(Row::flag))
                    .set("at", columns.timestamptz(Row::at));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime at = rs.getObject(5, OffsetDateTime.class);
                    back.add(new Row(
                            rs.getString(1),
                            (Long) rs.getObject(2),
                            (Integer) rs.getObject(3),
                            (Boolean) rs.getObject(4),
                            at == null ? null : at.toInstant()));
                }
            }
            try (Prepared list = Sql.parse("list.sql", "SELECT :ids::text[]").prepare(c);
                    ResultSet rs =
                            list.set("ids", Columns.text(c, List.of("x", "y"))).executeQuery()) {
                rs.next();
                assertEquals(List.of("x", "y"), Arrays.asList((Object[])
                        rs.getArray(1).getArray()));
            }
        }
        assertEquals(rows, back);
    }

    private static final Sql INSERT = Sql.parse(
            "insert.sql",
            "INSERT INTO event (id, tenant, type, body, created_at) VALUES (:id, :tenant, 'sql.test', '\\x00', now())");

    private void insert(Connection c, String id) throws SQLException {
        try (Prepared ps = INSERT.prepare(c)) {
            ps.set("id", id).set("tenant", tenant).executeUpdate();
        }
    }

    @Test
    void work_that_returns_is_committed_with_auto_commit_off_meanwhile() throws SQLException {
        String id = Ids.event();
        boolean autoCommitInside = Transactions.run(dataSource, c -> {
            insert(c, id);
            return c.getAutoCommit();
        });
        assertFalse(autoCommitInside);
        assertEquals(1, Db.count("SELECT count(*) FROM event WHERE id = ?", id));
    }

    @Test
    void work_that_throws_is_rolled_back_and_its_exception_comes_out_unchanged() {
        String first = Ids.event();
        SQLException refused = assertThrows(
                SQLException.class,
                () -> Transactions.run(dataSource, c -> {
                    insert(c, first);
                    insert(c, first); // duplicate key: the database refuses it
                    return null;
                }));
        assertEquals("23505", refused.getSQLState());

        String second = Ids.event();
        IllegalStateException bug = new IllegalStateException("a bug after the write");
        assertSame(
                bug,
                assertThrows(
                        IllegalStateException.class,
                        () -> Transactions.run(dataSource, c -> {
                            insert(c, second);
                            throw bug;
                        })));
        assertEquals(0, Db.count("SELECT count(*) FROM event WHERE tenant = ?", tenant));
        assertNull(bug.getCause());
        assertEquals(0, bug.getSuppressed().length);
    }
}
