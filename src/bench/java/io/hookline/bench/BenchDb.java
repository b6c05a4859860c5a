package io.hookline.bench;

import io.hookline.common.sql.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The bench's own database on the machine's PostgreSQL: created at the start, dropped at the end. Loads queues
 * directly with SQL (a backlog is loaded in one transaction, so the dispatcher sees all of it at once) and reads the
 * service's statements from the files it loads ({@code src/main/resources/sql/}), so EXPLAIN and pgbench run what the
 * service runs.
 */
final class BenchDb {
    static final String HOST = "127.0.0.1";
    static final int PORT = 5432;
    static final String USER = "postgres";

    final String name;
    private final boolean analyze;

    /**
     * @param analyze ANALYZE the delivery table in every load, as autoanalyze would on a server where autovacuum is on
     *                (it is the default; the planner's statistics decide the plans of the queue statements)
     */
    BenchDb(String name, boolean analyze) {
        this.name = name;
        this.analyze = analyze;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name;
    }

    Connection connect() throws SQLException {
        return connect(name);
    }

    private static Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("password", "");
        p.setProperty("ApplicationName", "hookline-bench");
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, p);
    }

    /** Starts the machine's cluster if it is down (as .ci/run does), then checks that it answers. */
    static String ensureServer() throws Exception {
        try (Connection c = connect("postgres")) {
            return version(c);
        } catch (SQLException first) {
            Path etc = Path.of("/etc/postgresql");
            if (Files.isDirectory(etc)) {
                try (var versions = Files.list(etc)) {
                    for (Path v : versions.toList()) {
                        System.out.println(
                                "PostgreSQL is not answering; starting cluster " + v.getFileName() + "/main");
                        new ProcessBuilder(
                                        "pg_ctlcluster",
                                        "--skip-systemctl-redirect",
                                        v.getFileName().toString(),
                                        "main",
                                        "start")
                                .inheritIO()
                                .start()
                                .waitFor();
                    }
                }
            }
            for (int i = 0; i < 50; i++) {
                try (Connection c = connect("postgres")) {
                    return version(c);
                } catch (SQLException e) {
                    Thread.sleep(200);
                }
            }
            throw new IllegalStateException(
                    "no PostgreSQL on " + HOST + ":" + PORT + " (user " + USER
                            + ", trust authentication) and it could not be started",
                    first);
        }
    }

    private static String version(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String setting(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    void create() throws SQLException {
        drop();
        try (Connection c = connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
    }

    void drop() throws SQLException {
        try (Connection c = connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name
                    + "' AND pid <> pg_backend_pid()");
            s.execute("DROP DATABASE IF EXISTS " + name);
        }
    }

    void exec(String... sql) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    long count(String sql) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Empties the queue and the event log (the webhooks and their secrets stay). */
    void truncateQueue() throws SQLException {
        exec("TRUNCATE delivery_attempt, delivery, event");
    }

    /**
     * A backlog inserted but not yet committed: nothing of it is visible to a dispatcher until {@link #commit()}, which
     * also NOTIFYs, so every running dispatcher wakes to the whole backlog at the same instant. This is how the bench
     * starts replicas over a backlog without their start-up overlapping the measurement.
     */
    static final class Load implements AutoCloseable {
        private final Connection c;
        private boolean committed;

        private Load(Connection c) {
            this.c = c;
        }

        /** ANALYZE and the CLAIM plans over the table as it will be after the commit (see {@link #explainClaim}). */
        List<String> explain() throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE delivery");
            }
            return explainClaim(c, 100);
        }

        void commit() throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_notify('hookline_deliveries', '')");
            }
            c.commit();
            committed = true;
        }

        @Override
        public void close() throws SQLException {
            if (!committed) {
                c.rollback();
            }
            c.close();
        }
    }

    /** {@link #beginDue} and commit at once; with the CLAIM plans when {@code explain}, else null. */
    List<String> loadDue(String tag, int n, List<String[]> hooks, String type, boolean explain) throws SQLException {
        try (Load load = beginDue(tag, n, hooks, type)) {
            List<String> plan = explain ? load.explain() : null;
            load.commit();
            return plan;
        }
    }

    /**
     * Inserts {@code n} due deliveries, one per event (about 1 KiB of data each), round-robin over the given webhooks
     * (delivery g goes to webhook g mod hooks) and due in that order, in one transaction left open.
     */
    Load beginDue(String tag, int n, List<String[]> hooks, String type) throws SQLException {
        String[] ids = hooks.stream().map(h -> h[0]).toArray(String[]::new);
        String[] tenants = hooks.stream().map(h -> h[1]).toArray(String[]::new);
        Connection c = connect();
        Load load = new Load(c);
        try {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL synchronous_commit = off");
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO event (id, tenant, type, body, created_at)
                    SELECT e.id, (?::text[])[1 + g % ?], ?, convert_to('{"meta":{"event_id":"' || e.id
                           || '","event_type":"' || ? || '","occurred_at":"'
                           || to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
                           || '"},"data":{"seq":' || g || ',"pad":"' || repeat('x', 950) || '"}}', 'UTF8'), now()
                    FROM generate_series(0, ? - 1) g, LATERAL (SELECT 'evt_' || ? || '_' || lpad(g::text, 8, '0') AS id) e
                    """)) {
                ps.setArray(1, c.createArrayOf("text", tenants));
                ps.setInt(2, tenants.length);
                ps.setString(3, type);
                ps.setString(4, type);
                ps.setInt(5, n);
                ps.setString(6, tag);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO delivery (id, event_id, webhook_id, tenant, status, next_attempt_at, created_at)
                    SELECT 'dlv_' || ? || '_' || lpad(g::text, 8, '0'), 'evt_' || ? || '_' || lpad(g::text, 8, '0'),
                           (?::text[])[1 + g % ?], (?::text[])[1 + g % ?], 'pending',
                           now() - interval '1 minute' + g * interval '1 microsecond', now()
                    FROM generate_series(0, ? - 1) g
                    """)) {
                ps.setString(1, tag);
                ps.setString(2, tag);
                ps.setArray(3, c.createArrayOf("text", ids));
                ps.setInt(4, ids.length);
                ps.setArray(5, c.createArrayOf("text", tenants));
                ps.setInt(6, tenants.length);
                ps.setInt(7, n);
                ps.executeUpdate();
            }
            if (analyze) {
                try (Statement s = c.createStatement()) {
                    s.execute("ANALYZE delivery");
                }
            }
            return load;
        } catch (SQLException | RuntimeException e) {
            load.close();
            throw e;
        }
    }

    /**
     * Loads {@code n} rows that a long-running queue accumulates and the claim must not pay for: 85 % succeeded, 5 %
     * failed (completed rows, outside the partial index) and 10 % pending retries scheduled 1 to 28 h ahead (inside
     * the partial index, after every due row). One event per 100 deliveries. Then VACUUM ANALYZE, as autovacuum would
     * have done long before such a table is read.
     */
    void loadBackground(int n, List<String[]> hooks) throws SQLException {
        String[] ids = hooks.stream().map(h -> h[0]).toArray(String[]::new);
        String[] tenants = hooks.stream().map(h -> h[1]).toArray(String[]::new);
        int events = Math.max(1, n / 100);
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL synchronous_commit = off");
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO event (id, tenant, type, body, created_at)
                    SELECT 'evt_bg_' || g, (?::text[])[1 + g % ?], 'bench.old',
                           convert_to('{"meta":{"event_id":"evt_bg_' || g || '"},"data":{"pad":"' || repeat('x', 950)
                           || '"}}', 'UTF8'), now() - interval '2 days'
                    FROM generate_series(0, ? - 1) g
                    """)) {
                ps.setArray(1, c.createArrayOf("text", tenants));
                ps.setInt(2, tenants.length);
                ps.setInt(3, events);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO delivery (id, event_id, webhook_id, tenant, status, attempts, next_attempt_at,
                                          last_status_code, created_at, completed_at)
                    SELECT 'dlv_bg_' || lpad(g::text, 8, '0'), 'evt_bg_' || (g % ?), (?::text[])[1 + (g % ?) % ?],
                           (?::text[])[1 + (g % ?) % ?], s.status,
                           CASE s.status WHEN 'failed' THEN 8 WHEN 'pending' THEN 2 ELSE 1 END,
                           CASE WHEN s.status = 'pending' THEN now() + (1 + g % 28) * interval '1 hour'
                                ELSE now() - interval '1 day' END,
                           CASE s.status WHEN 'succeeded' THEN 200 ELSE 503 END,
                           now() - interval '2 days',
                           CASE WHEN s.status = 'pending' THEN NULL ELSE now() - interval '1 day' END
                    FROM generate_series(0, ? - 1) g,
                         LATERAL (SELECT CASE WHEN g % 20 < 17 THEN 'succeeded' WHEN g % 20 = 17 THEN 'failed'
                                              ELSE 'pending' END AS status) s
                    """)) {
                ps.setInt(1, events);
                ps.setArray(2, c.createArrayOf("text", ids));
                ps.setInt(3, events);
                ps.setInt(4, ids.length);
                ps.setArray(5, c.createArrayOf("text", tenants));
                ps.setInt(6, events);
                ps.setInt(7, tenants.length);
                ps.setInt(8, n);
                ps.executeUpdate();
            }
            c.commit();
        }
        exec("VACUUM ANALYZE event", "VACUUM ANALYZE delivery");
    }

    /** A statement of the service, e.g. {@code queue/claim.sql}: the file it loads, with its {@code :name} parameters. */
    static Sql statement(String path) {
        return Sql.load(path);
    }

    /**
     * The generic plan of a statement of the service (the plan a prepared statement settles on after five executions),
     * under the table's current statistics; EXPLAIN only, nothing runs.
     */
    static List<String> explainGeneric(BenchDb db, String path) throws SQLException {
        Sql sql = statement(path);
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
            s.execute("PREPARE bench_generic AS " + sql.numbered());
            String args =
                    String.join(", ", sql.parameters().stream().map(p -> "NULL").toList());
            try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE bench_generic(" + args + ")")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            c.rollback();
        }
        return out;
    }

    /**
     * The plans of the service's CLAIM on the caller's transaction: the custom plan (EXPLAIN ANALYZE with real
     * parameters, rolled back to a savepoint so nothing stays claimed) and the generic plan a long-lived prepared
     * statement may switch to.
     */
    static List<String> explainClaim(Connection c, int batch) throws SQLException {
        Sql claim = statement("queue/claim.sql");
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            s.execute("SAVEPOINT bench_explain");
            out.add("-- custom plan: EXPLAIN (ANALYZE, BUFFERS) with batch " + batch + ", rolled back");
            try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
                    + claim.fill(Map.of(
                            "now",
                            "now()",
                            "skip_webhooks",
                            "'{}'",
                            "limit",
                            Integer.toString(batch),
                            "default_room",
                            Integer.toString(batch),
                            "room_ids",
                            "'{}'",
                            "room_sizes",
                            "'{}'",
                            "lease_until",
                            "now() + interval '40 seconds'")))) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            s.execute("ROLLBACK TO SAVEPOINT bench_explain");
            out.add("-- generic plan (plan_cache_mode = force_generic_plan): EXPLAIN only");
            s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
            s.execute("PREPARE bench_claim(timestamptz, text, int, int, text, text, timestamptz) AS "
                    + claim.fill(Map.of(
                            "now",
                            "$1",
                            "skip_webhooks",
                            "$2",
                            "limit",
                            "$3",
                            "default_room",
                            "$4",
                            "room_ids",
                            "$5",
                            "room_sizes",
                            "$6",
                            "lease_until",
                            "$7")));
            try (ResultSet rs = s.executeQuery("EXPLAIN (COSTS OFF) EXECUTE bench_claim(now(), '{}', " + batch + ", "
                    + batch + ", '{}', '{}', now() + interval '40 seconds')")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            s.execute("DEALLOCATE bench_claim");
            s.execute("ROLLBACK TO SAVEPOINT bench_explain");
        }
        return out;
    }
}
