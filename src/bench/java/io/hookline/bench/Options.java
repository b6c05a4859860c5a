package io.hookline.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The bench's settings, from system properties ({@code -Dbench.n=5000}); the Maven profile passes them through.
 * {@code bench.quick=true} shrinks every size for a run of about three minutes.
 */
record Options(
        int events,
        int drain,
        int backlog,
        int scaleDue,
        int latencySeconds,
        List<Integer> rates,
        int fanout,
        int slowDeliveries,
        int slowCapSeconds,
        int slowBacklog,
        int singleDeliveries,
        int hooks,
        int clients,
        int wrkSeconds,
        boolean jfr,
        List<String> serviceJvm,
        boolean keepDb,
        String database,
        Set<String> only,
        boolean quick,
        boolean analyze) {

    static final List<String> SCENARIOS = List.of(
            "limits",
            "drain",
            "single",
            "e2e",
            "publish",
            "batch",
            "latency",
            "fanout",
            "scale",
            "slow",
            "replicas",
            "peer",
            "host",
            "cold");
    static final String DEFAULT_JVM = "-Xms64m -Xmx256m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError";

    static Options fromSystemProperties() {
        boolean quick = Boolean.parseBoolean(prop("bench.quick", "false"));
        String only = prop("bench.only", "");
        Set<String> selected = only.isBlank()
                ? Set.copyOf(SCENARIOS)
                : Arrays.stream(only.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .collect(Collectors.toSet());
        for (String s : selected) {
            if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("bench.only: unknown scenario '" + s + "'; known: " + SCENARIOS);
            }
        }
        List<Integer> rates = Arrays.stream(prop("bench.rates", "500,2000").split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .toList();
        return new Options(
                num("bench.n", quick ? 5_000 : 50_000),
                num("bench.drain", quick ? 10_000 : 100_000),
                num("bench.backlog", quick ? 100_000 : 1_000_000),
                num("bench.scaleDue", quick ? 5_000 : 10_000),
                num("bench.latencySeconds", quick ? 5 : 15),
                rates,
                num("bench.fanout", 1_000),
                num("bench.slowDeliveries", quick ? 4_000 : 20_000),
                num("bench.slowCapSeconds", quick ? 20 : 40),
                num("bench.slowBacklog", quick ? 50_000 : 200_000),
                num("bench.singleDeliveries", quick ? 5_000 : 20_000),
                num("bench.hooks", 32),
                num("bench.clients", 32),
                num("bench.wrkSeconds", quick ? 3 : 5),
                Boolean.parseBoolean(prop("bench.jfr", "false")),
                List.of(prop("bench.jvmArgs", DEFAULT_JVM).trim().split("\\s+")),
                Boolean.parseBoolean(prop("bench.keepDb", "false")),
                prop("bench.db", "hookline_bench"),
                selected,
                quick,
                Boolean.parseBoolean(prop("bench.analyze", "true")));
    }

    boolean want(String scenario) {
        return only.contains(scenario);
    }

    static String prop(String key, String fallback) {
        String v = System.getProperty(key);
        // the Maven profile passes an unset option as an empty string
        return v == null || v.isBlank() || v.startsWith("${") ? fallback : v.trim();
    }

    static int num(String key, int fallback) {
        String v = prop(key, "");
        if (v.isEmpty()) {
            return fallback;
        }
        int n = Integer.parseInt(v.replace("_", "").replace(",", ""));
        if (n <= 0) {
            throw new IllegalArgumentException(key + " must be > 0, was " + v);
        }
        return n;
    }
}
