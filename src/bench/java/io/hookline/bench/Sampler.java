package io.hookline.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Watches one measurement every 100 ms: CPU of the replicas, of PostgreSQL (all its processes), of the bench itself
 * and of the whole machine, and what PostgreSQL's active sessions of the bench database are waiting on
 * (pg_stat_activity: a null wait event means running on CPU). The summary says which resource was saturated.
 */
final class Sampler implements AutoCloseable {
    private static final long PERIOD_MS = 100;
    private static final long BENCH_PID = ProcessHandle.current().pid();

    /** What one measurement used, over its whole window. */
    record Usage(
            double seconds,
            double serviceCpu,
            double postgresCpu,
            double benchCpu,
            double machineBusy,
            double machineCapacity,
            Map<String, Integer> waits,
            int waitSamples,
            Map<String, Integer> objectLocks,
            Map<String, Double> serviceThreads,
            Map<String, Long> slowestStatementsMs) {

        /** The statements seen running longest, with how long (ms). */
        String slowestLine(int top) {
            return slowestStatementsMs.entrySet().stream()
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .limit(top)
                    .map(e -> e.getValue() + " ms: " + e.getKey())
                    .collect(Collectors.joining(" | "));
        }

        /** The replica's CPU by thread group, largest first, in core-seconds. */
        String threadLine(int top) {
            return serviceThreads.entrySet().stream()
                    .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                    .limit(top)
                    .map(e -> String.format("%s %.1f", e.getKey(), e.getValue()))
                    .collect(Collectors.joining(", "));
        }

        double otherCpu() {
            return Math.max(0, machineBusy - serviceCpu - postgresCpu - benchCpu);
        }

        /** "service 1.10 / pg 0.62 / bench 0.20 / other 0.02 cores of 2 (96 % busy)". */
        String cpuLine() {
            double s = Math.max(seconds, 1e-9);
            return String.format(
                    "service %.2f, postgres %.2f, bench %.2f, other %.2f cores of %.0f (%.0f %% busy)",
                    serviceCpu / s,
                    postgresCpu / s,
                    benchCpu / s,
                    otherCpu() / s,
                    machineCapacity / s,
                    100 * machineBusy / Math.max(machineCapacity, 1e-9));
        }

        /** Top wait events of PostgreSQL's active sessions, as share of sampled sessions. */
        String waitLine(int top) {
            int total = waits.values().stream().mapToInt(Integer::intValue).sum();
            if (total == 0) {
                return "no active sessions sampled";
            }
            return waits.entrySet().stream()
                            .sorted((a, b) -> b.getValue() - a.getValue())
                            .limit(top)
                            .map(e -> String.format("%s %.0f %%", e.getKey(), 100.0 * e.getValue() / total))
                            .collect(Collectors.joining(", "))
                    + String.format(" (avg %.1f active)", (double) total / Math.max(1, waitSamples));
        }
    }

    private final LongSupplier serviceTicks;
    private final BenchDb db;
    private final Thread thread;
    private volatile boolean running = true;
    private final Map<String, Integer> waits = new TreeMap<>();
    private final Map<String, Integer> objectLocks = new TreeMap<>();
    /** Longest time a statement (its first 48 characters) was seen running. */
    private final Map<String, Long> slowest = new TreeMap<>();

    private int waitSamples;
    private final long[] start;
    private final long startNanos;

    private final long[] pids;
    private final Map<String, Long> threadsAtStart;

    /** @param services the replica(s) being measured (CPU summed when several) */
    Sampler(BenchDb db, ServiceProcess... services) {
        this.db = db;
        this.pids =
                java.util.Arrays.stream(services).mapToLong(ServiceProcess::pid).toArray();
        this.serviceTicks =
                () -> java.util.Arrays.stream(pids).map(Proc::cpuTicks).sum();
        this.threadsAtStart = threads();
        this.start = snapshot();
        this.startNanos = System.nanoTime();
        this.thread = new Thread(this::loop, "bench-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private Map<String, Long> threads() {
        Map<String, Long> all = new TreeMap<>();
        for (long pid : pids) {
            Proc.threadTicks(pid).forEach((k, v) -> all.merge(k, v, Long::sum));
        }
        return all;
    }

    private long[] snapshot() {
        long[] machine = Proc.machineTicks();
        return new long[] {
            serviceTicks.getAsLong(), Proc.postgresTicks(), Proc.cpuTicks(BENCH_PID), machine[0], machine[1]
        };
    }

    private void loop() {
        try (Connection c = db.connect();
                PreparedStatement locks = c.prepareStatement("""
                SELECT classid::regclass || '/' || objid || ' ' || mode || CASE WHEN granted THEN ' held' ELSE ' awaited' END,
                       count(*)
                FROM pg_locks WHERE locktype = 'object' GROUP BY 1
                """);
                PreparedStatement ps = c.prepareStatement("""
                SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU (running)'),
                       left(regexp_replace(query, '\\s+', ' ', 'g'), 48),
                       (extract(epoch FROM clock_timestamp() - query_start) * 1000)::bigint
                FROM pg_stat_activity
                WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
                  AND coalesce(application_name, '') <> 'hookline-bench'
                """)) {
            while (running) {
                try (ResultSet rs = ps.executeQuery()) {
                    synchronized (waits) {
                        waitSamples++;
                        while (rs.next()) {
                            waits.merge(rs.getString(1), 1, Integer::sum);
                            slowest.merge(rs.getString(2), rs.getLong(3), Math::max);
                        }
                    }
                }
                try (ResultSet rs = locks.executeQuery()) {
                    synchronized (waits) {
                        while (rs.next()) {
                            objectLocks.merge(rs.getString(1), rs.getInt(2), Integer::sum);
                        }
                    }
                }
                Thread.sleep(PERIOD_MS);
            }
        } catch (SQLException | InterruptedException e) {
            // the measurement ends (or the database went away): the summary keeps what was sampled
        }
    }

    /** Stops sampling and sums up from the start to now. */
    Usage finish() {
        long[] end = snapshot();
        Map<String, Double> threadCpu = new LinkedHashMap<>();
        threads().forEach((k, v) -> {
            double d = (v - threadsAtStart.getOrDefault(k, 0L)) / Proc.HZ;
            if (d > 0) {
                threadCpu.put(k, d);
            }
        });
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        close();
        Map<String, Integer> w;
        Map<String, Integer> l;
        Map<String, Long> slow;
        synchronized (waits) {
            w = new LinkedHashMap<>(waits);
            l = new LinkedHashMap<>(objectLocks);
            slow = new LinkedHashMap<>(slowest);
        }
        double cores = Runtime.getRuntime().availableProcessors();
        double capacity = (end[4] - start[4]) / Proc.HZ;
        return new Usage(
                seconds,
                (end[0] - start[0]) / Proc.HZ,
                (end[1] - start[1]) / Proc.HZ,
                (end[2] - start[2]) / Proc.HZ,
                (end[3] - start[3]) / Proc.HZ,
                capacity > 0 ? capacity : cores * seconds,
                w,
                waitSamples,
                l,
                threadCpu,
                slow);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }

    static List<String> describe(Usage u) {
        List<String> lines = new ArrayList<>();
        lines.add("cpu: " + u.cpuLine());
        lines.add("service threads (core-s): " + u.threadLine(6));
        lines.add("pg waits: " + u.waitLine(4));
        if (!u.slowestStatementsMs().isEmpty()) {
            lines.add("pg statements seen running longest: " + u.slowestLine(2));
        }
        if (!u.objectLocks().isEmpty()) {
            lines.add("pg object locks (sampled): " + u.objectLocks());
        }
        return lines;
    }
}
