package io.hookline.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine's own limits, measured in the same run as the service's figures: how many signed requests per second
 * the bench's receiver takes from a plain load generator (wrk), and how many deliveries per second PostgreSQL claims
 * and records with the service's own statements and nothing else (pgbench).
 */
final class Limits {
    private Limits() {}

    /** Result of an external tool: the figure, or why there is none. */
    record Measured(double value, String note) {
        static Measured skipped(String why) {
            return new Measured(Double.NaN, why);
        }

        boolean ok() {
            return !Double.isNaN(value);
        }
    }

    /** Finds wrk, installing it with apt-get when missing and allowed (root). */
    static String wrk(Path out) {
        for (String dir : List.of("/usr/bin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(dir, "wrk"))) {
                return dir + "/wrk";
            }
        }
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            return null;
        }
        System.out.println("wrk is not installed: apt-get install -y wrk (log in target/bench/apt.log)");
        for (List<String> cmd : List.of(
                List.of("apt-get", "install", "-y", "-q", "wrk"),
                List.of("apt-get", "update", "-q"),
                List.of("apt-get", "install", "-y", "-q", "wrk"))) {
            run(cmd, out.resolve("apt.log"), 180);
            if (Files.isExecutable(Path.of("/usr/bin/wrk"))) {
                return "/usr/bin/wrk";
            }
        }
        return null;
    }

    /**
     * wrk with 2 threads and 64 connections for {@code seconds}, POSTing the same signed ~1 KiB delivery to the
     * receiver's limit path, which verifies both signatures like any delivery.
     */
    static Measured receiverRate(Path out, int port, String secret, int seconds) throws IOException {
        String wrk = wrk(out);
        if (wrk == null) {
            return Measured.skipped("wrk not installed and could not be installed (apt-get install wrk)");
        }
        byte[] body = ("{\"meta\":{\"event_id\":\"evt_limit\",\"event_type\":\"bench.limit\",\"occurred_at\":"
                        + "\"2026-01-01T00:00:00.000Z\"},\"data\":{\"seq\":0,\"pad\":\"" + "x".repeat(950) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        long ts = System.currentTimeMillis() / 1000;
        Map<String, String> headers = Receivers.sign(secret, "evt_limit", ts, body);
        StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\n");
        lua.append("wrk.body = \"")
                .append(new String(body, StandardCharsets.UTF_8).replace("\"", "\\\""))
                .append("\"\n");
        lua.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
        lua.append("wrk.headers[\"X-Hookline-Delivery\"] = \"dlv_limit\"\n");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            lua.append("wrk.headers[\"")
                    .append(h.getKey())
                    .append("\"] = \"")
                    .append(h.getValue())
                    .append("\"\n");
        }
        Path script = out.resolve("wrk-receiver.lua");
        Files.writeString(script, lua);
        Path log = out.resolve("wrk.log");
        int code = run(
                List.of(
                        wrk,
                        "-t2",
                        "-c64",
                        "-d" + seconds + "s",
                        "--latency",
                        "-s",
                        script.toString(),
                        "http://127.0.0.1:" + port + Receivers.LIMIT_PATH),
                log,
                seconds + 30);
        String text = Files.readString(log);
        Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(text);
        if (code != 0 || !m.find()) {
            return Measured.skipped("wrk failed (exit " + code + "), see target/bench/wrk.log");
        }
        return new Measured(Double.parseDouble(m.group(1)), "wrk -t2 -c64 -d" + seconds + "s");
    }

    /**
     * pgbench running the service's sql/queue/claim.sql (batch of 100) and record.sql (all succeeded) back to back, 4 clients, prepared
     * statements, a fixed number of transactions over a loaded backlog. Returns deliveries/s (claimed and recorded).
     * The statements are the service's own text with only their parameters filled in by SQL, so a change to the
     * queue SQL is measured here too. One difference: the claimed rows (and their bodies) are aggregated in the
     * database instead of being shipped to a client.
     */
    static Measured postgresRate(Path out, BenchDb db, int transactionsPerClient, int clients, int batch)
            throws Exception {
        String pgbench = Files.isExecutable(Path.of("/usr/bin/pgbench")) ? "/usr/bin/pgbench" : null;
        if (pgbench == null) {
            return Measured.skipped("pgbench not installed (it comes with postgresql-client / postgresql-contrib)");
        }
        String claim;
        String recordScript;
        try {
            claim = BenchDb.statement("queue/claim.sql")
                    .fill(Map.of(
                            "now",
                            "now()",
                            "skip_webhooks",
                            "'{}'",
                            "limit",
                            ":batch",
                            "default_room",
                            ":batch",
                            "room_ids",
                            "'{}'",
                            "room_sizes",
                            "'{}'",
                            "lease_until",
                            "now() + interval '40 seconds'"));
            String n = "ARRAY[:n::int]";
            recordScript = BenchDb.statement("queue/record.sql")
                    .fill(Map.ofEntries(
                            Map.entry("ids", ":ids"),
                            Map.entry("tokens", ":tokens"),
                            Map.entry("statuses", "array_fill('succeeded'::text, " + n + ")"),
                            Map.entry("next_at", "array_fill(NULL::timestamptz, " + n + ")"),
                            Map.entry("completed_at", "array_fill(now(), " + n + ")"),
                            Map.entry("started_at", "array_fill(now(), " + n + ")"),
                            Map.entry("durations", "array_fill(3, " + n + ")"),
                            Map.entry("codes", "array_fill(200, " + n + ")"),
                            Map.entry("bodies", "array_fill('ok'::text, " + n + ")"),
                            Map.entry("error_classes", "array_fill(NULL::text, " + n + ")"),
                            Map.entry("error_messages", "array_fill(NULL::text, " + n + ")")));
        } catch (IllegalArgumentException e) {
            return Measured.skipped("the parameters of queue/claim.sql or queue/record.sql changed (" + e.getMessage()
                    + "); update Limits.postgresRate");
        }
        int split = claim.indexOf("UPDATE delivery d");
        String claimScript = claim.substring(0, split).stripTrailing() + ",\nclaimed AS (\n"
                + claim.substring(split).stripTrailing() + "\n)\nSELECT coalesce(array_agg(id), '{}') AS ids, "
                + "coalesce(array_agg(lease_token), '{}') AS tokens, count(*) AS n, coalesce(sum(length(body)), 0) AS bytes "
                + "FROM claimed\n";
        // one line per statement; pgbench's gset meta-command ends the claim in place of its semicolon and keeps its
        // one row
        String script =
                "\\set batch " + batch + "\n" + oneLine(claimScript) + " \\gset\n" + oneLine(recordScript) + ";\n";
        Path file = out.resolve("pgbench-claim-record.sql");
        Files.writeString(file, script);
        long before = db.count("SELECT count(*) FROM delivery WHERE status = 'succeeded'");
        Path log = out.resolve("pgbench.log");
        long start = System.nanoTime();
        int code = run(
                List.of(
                        pgbench,
                        "-h",
                        BenchDb.HOST,
                        "-p",
                        Integer.toString(BenchDb.PORT),
                        "-U",
                        BenchDb.USER,
                        "-n",
                        "-M",
                        "prepared",
                        "-c",
                        Integer.toString(clients),
                        "-j",
                        Integer.toString(Math.min(clients, 2)),
                        "-t",
                        Integer.toString(transactionsPerClient),
                        "-f",
                        file.toString(),
                        db.name),
                log,
                300);
        double seconds = (System.nanoTime() - start) / 1e9;
        long done = db.count("SELECT count(*) FROM delivery WHERE status = 'succeeded'") - before;
        String text = Files.readString(log);
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(text);
        if (code != 0 || done == 0) {
            return Measured.skipped(
                    "pgbench failed (exit " + code + ", " + done + " rows), see target/bench/pgbench.log");
        }
        String tpsText = tps.find() ? tps.group(1) : "?";
        return new Measured(
                done / seconds,
                "pgbench -M prepared -c" + clients + " x " + transactionsPerClient
                        + " tx (claim " + batch + " + record): " + done + " deliveries in "
                        + String.format("%.1f", seconds)
                        + " s, " + tpsText + " tx/s");
    }

    /**
     * pgbench running the service's publish (sql/queue/publish.sql, the one statement a single publish is: the event
     * and its deliveries) with ~1 KiB bodies for one tenant, {@code clients} clients for {@code seconds}; followed by the
     * NOTIFY the replica sends after it when {@code notify}, without it otherwise (to show what it costs). Returns
     * publishes/s: what PostgreSQL alone allows for the same work, without HTTP, tokens or JSON.
     */
    static Measured publishRate(Path out, BenchDb db, String tenant, int clients, int seconds, boolean notify)
            throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/pgbench"))) {
            return Measured.skipped("pgbench not installed (it comes with postgresql-client / postgresql-contrib)");
        }
        String script;
        try {
            script = oneLine(BenchDb.statement("queue/publish.sql")
                            .fill(Map.of(
                                    "id",
                                    "'evt_' || md5(random()::text || clock_timestamp()::text)",
                                    "tenant",
                                    "'" + tenant + "'",
                                    "type",
                                    "'bench.pgbench'",
                                    "body",
                                    "convert_to(repeat('x', 1100), 'UTF8')",
                                    "idempotency_key",
                                    "NULL",
                                    "now",
                                    "now()")))
                    + ";\n"
                    + (notify ? "SELECT pg_notify('hookline_deliveries', '');\n" : "");
        } catch (IllegalArgumentException e) {
            return Measured.skipped(
                    "the parameters of queue/publish.sql changed (" + e.getMessage() + "); update Limits.publishRate");
        }
        String name = notify ? "pgbench-publish" : "pgbench-publish-without-notify";
        Path file = out.resolve(name + ".sql");
        Files.writeString(file, script);
        Path log = out.resolve(name + ".log");
        int code = run(
                List.of(
                        "/usr/bin/pgbench",
                        "-h",
                        BenchDb.HOST,
                        "-p",
                        Integer.toString(BenchDb.PORT),
                        "-U",
                        BenchDb.USER,
                        "-n",
                        "-M",
                        "prepared",
                        "-c",
                        Integer.toString(clients),
                        "-j",
                        "2",
                        "-T",
                        Integer.toString(seconds),
                        "-f",
                        file.toString(),
                        db.name),
                log,
                seconds + 60);
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(Files.readString(log));
        if (code != 0 || !tps.find()) {
            return Measured.skipped("pgbench failed (exit " + code + "), see target/bench/" + name + ".log");
        }
        return new Measured(
                Double.parseDouble(tps.group(1)),
                "pgbench -M prepared -c" + clients + " -T" + seconds + ", the service's publish statement "
                        + "(queue/publish.sql) " + (notify ? "with" : "WITHOUT") + " NOTIFY");
    }

    private static String oneLine(String sql) {
        return sql.replaceAll("\\s*\n\\s*", " ").trim();
    }

    /** Runs a command with output to a log file, bounded in time. */
    static int run(List<String> command, Path log, int maxSeconds) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(maxSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -3;
        }
    }
}
