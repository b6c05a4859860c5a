package io.hookline.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** What the scenarios in their own files ({@link ColdScenario}, {@link HostScenario}) share. */
final class BenchKit {
    /** Clock ticks per second of /proc/PID/stat (USER_HZ, 100 on Linux). */
    static final double TICKS = 100.0;

    private BenchKit() {}

    /** The replica's environment, the same as Scenarios gives its replicas. */
    static Map<String, String> env(BenchDb db, Jwt jwt, String masterKey, boolean dispatcher) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", BenchDb.USER);
        env.put("QUARKUS_DATASOURCE_PASSWORD", "");
        env.put("QUARKUS_OIDC_PUBLIC_KEY", jwt.publicKeyBase64());
        env.put("QUARKUS_OIDC_TOKEN_ISSUER", Jwt.ISSUER);
        env.put("HOOKLINE_SECRETS_MASTER_KEY", masterKey);
        env.put("HOOKLINE_DELIVERY_ALLOW_PRIVATE_NETWORKS", "true");
        env.put("HOOKLINE_DISPATCHER_ENABLED", Boolean.toString(dispatcher));
        env.put("HOOKLINE_RATE_LIMIT_ENABLED", "false");
        return env;
    }

    /** Waits until {@code progress} reaches {@code of}, printing every 5 s; false when {@code max} ran out first. */
    static boolean await(String what, LongSupplier progress, long of, Duration max) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        long nextPrint = start + 5_000_000_000L;
        while (progress.getAsLong() < of) {
            long now = System.nanoTime();
            if (now > deadline) {
                System.out.printf(
                        "  %s: time cap of %d s reached at %,d of %,d%n",
                        what, max.toSeconds(), progress.getAsLong(), of);
                return false;
            }
            if (now > nextPrint) {
                System.out.printf(
                        "  %s: %,d of %,d after %.0f s%n", what, progress.getAsLong(), of, (now - start) / 1e9);
                nextPrint += 5_000_000_000L;
            }
            Thread.sleep(2);
        }
        return true;
    }

    /** The median of a few repeated measurements (start-up times are noisy on a shared machine). */
    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }

    /** A figure with no machine limit beside it. */
    static Report.Figure figure(
            String key,
            String label,
            double value,
            String unit,
            double target,
            Report.Goal goal,
            boolean complete,
            String note) {
        return new Report.Figure(
                key,
                label,
                value,
                unit,
                Double.NaN,
                "",
                target,
                Double.isNaN(target) ? Report.Goal.NONE : goal,
                complete,
                note);
    }
}
