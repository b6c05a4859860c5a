package io.hookline.bench;

import io.hookline.bench.Report.Goal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * "cold": a fresh replica as the JVM container image runs it (its JVM flags, {@link #CONTAINER_JVM}, and its AppCDS
 * archive, generated here the way {@code src/main/docker/Dockerfile.jvm} generates it), over a backlog that was
 * waiting for it, as a replica scaled up (or from zero) finds one:
 * <ol>
 * <li>the archive, by {@code src/main/docker/appcds.sh} (a training run: the application starts without a database
 * and is stopped once started, {@code -XX:ArchiveClassesAtExit});</li>
 * <li>start-up to ready without and with the archive, alternating ({@value #QUICK_STARTS} of each in a quick run,
 * {@value #FULL_STARTS} otherwise; medians), with the CPU the replica used to get there;</li>
 * <li>{@value #DELIVERIES} due deliveries (32 webhooks on 32 receiver ports) inserted in a transaction left open, a
 * replica started with the archive, the backlog committed once it is ready: the rate of its first
 * {@value #DELIVERIES} deliveries (first to last arrival);</li>
 * <li>a second backlog of {@value #DELIVERIES} on the same, now warm, replica: the ratio cold / warm (issue 12:
 * at least 50 %);</li>
 * <li>the replica's peak RSS (VmHWM) over both (issue 12: at most 350 MB).</li>
 * </ol>
 * The memory limit of the container is played by {@code -XX:MaxRAM} ({@value #CONTAINER_MEMORY}): the JVM sizes
 * its heap from it as it would from the container's cgroup limit.
 */
final class ColdScenario {
    /** The JVM flags of src/main/docker/Dockerfile.jvm (JAVA_OPTS there); keep the two the same. */
    static final String CONTAINER_JVM = "-XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
            + " -XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000 -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000";
    /** The container memory limit the README recommends, as the JVM would see it in such a container. */
    static final String CONTAINER_MEMORY = "-XX:MaxRAM=512m";

    /** false measures the replica as before the archive (for a before/after comparison). */
    static final boolean USE_ARCHIVE = true;

    /**
     * The JVM of the cold replica: the bench's own (JDK 17 here, standing in for the image's Java 21), or the JDK that
     * {@code -Dbench.coldJavaHome=…} names (on JDK 25+ appcds.sh makes an AOT cache instead of an AppCDS archive).
     */
    static final int DELIVERIES = 20_000;

    static final int QUICK_STARTS = 2;
    static final int FULL_STARTS = 3;

    private final Options o;
    private final Path project;
    private final Path out;
    private final BenchDb db;
    private final Jwt jwt;
    private final String masterKey;
    private final Report report;
    private final Receivers receivers;
    private final List<String[]> hooks;
    private final Path javaHome = javaHome();

    ColdScenario(
            Options o,
            Path project,
            Path out,
            BenchDb db,
            Jwt jwt,
            String masterKey,
            Report report,
            Receivers receivers,
            List<String[]> hooks) {
        this.o = o;
        this.project = project;
        this.out = out;
        this.db = db;
        this.jwt = jwt;
        this.masterKey = masterKey;
        this.report = report;
        this.receivers = receivers;
        this.hooks = hooks;
    }

    private List<String> jvm(Path archive) {
        List<String> args = new ArrayList<>(Arrays.asList(CONTAINER_JVM.split(" ")));
        args.add(CONTAINER_MEMORY);
        if (archive != null) {
            args.add(aot(archive) ? "-XX:AOTCache=" + archive : "-XX:SharedArchiveFile=" + archive);
        }
        return args;
    }

    /** A JDK 25 AOT cache (app.aot) rather than an AppCDS archive (app-cds.jsa): appcds.sh makes the former on 25+. */
    private static boolean aot(Path archive) {
        return archive.getFileName().toString().endsWith(".aot");
    }

    private static Path javaHome() {
        String named = System.getProperty("bench.coldJavaHome", "");
        if (!named.isBlank()) {
            return Path.of(named);
        }
        return Path.of(System.getProperty("java.home"));
    }

    void run() throws Exception {
        BenchKit.section("cold: a fresh replica with the container image's JVM flags and AppCDS archive, its first "
                + DELIVERIES + " deliveries vs the next " + DELIVERIES);
        System.out.println("  JVM: " + javaHome + " " + CONTAINER_JVM + " " + CONTAINER_MEMORY
                + " (the container's memory limit)");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("javaHome", javaHome.toString());
        details.put("jvm", CONTAINER_JVM);
        details.put("containerMemory", CONTAINER_MEMORY);
        Path archive = USE_ARCHIVE ? archive(details) : null;

        // start-up, alternating without and with the archive
        int starts = o.quick() ? QUICK_STARTS : FULL_STARTS;
        List<Double> plain = new ArrayList<>();
        List<Double> plainCpu = new ArrayList<>();
        List<Double> shared = new ArrayList<>();
        List<Double> sharedCpu = new ArrayList<>();
        List<Map<String, Double>> threads = new ArrayList<>();
        db.truncateQueue();
        for (int i = 0; i < starts; i++) {
            startAndStop("service-cold-nocds-" + i, null, plain, plainCpu, null);
            if (archive != null) {
                startAndStop("service-cold-cds-" + i, archive, shared, sharedCpu, threads);
            }
        }
        details.put("startupSecondsWithout", plain);
        details.put("startupCpuWithout", plainCpu);
        details.put("startupSecondsWith", shared);
        details.put("startupCpuWith", sharedCpu);
        details.put("startupThreadsCoreSecondsWith", threads);

        // the cold replica over a waiting backlog, then the same replica warm
        BenchDb.Load backlog = db.beginDue("cold", DELIVERIES, hooks, "bench.cold");
        ServiceProcess svc = ServiceProcess.start(
                "service-cold", javaHome, project, out, jvm(archive), o.jfr(), BenchKit.env(db, jwt, masterKey, true));
        Drained cold;
        Drained warm;
        double rss;
        try {
            svc.awaitReady(Duration.ofSeconds(90));
            double cpu = svc.cpuTicks() / BenchKit.TICKS;
            (archive == null ? plain : shared).add(svc.startupSeconds());
            (archive == null ? plainCpu : sharedCpu).add(cpu);
            System.out.printf(
                    "  service-cold (pid %d) ready in %.2f s, %.2f core-s of CPU%n",
                    svc.pid(), svc.startupSeconds(), cpu);
            cold = drain(svc, "cold", backlog, details);
            warm = drain(svc, "warm", null, details);
        } finally {
            rss = svc.peakRssMb();
            svc.stop(Duration.ofSeconds(15));
        }
        System.out.printf("  service-cold stopped, peak RSS %.0f MB%n", rss);

        double startWithout = BenchKit.median(plain);
        double startWith = BenchKit.median(shared);
        String withLabel = archive == null ? "no archive (generation failed)" : aot(archive) ? "AOT cache" : "AppCDS";
        report.add(BenchKit.figure(
                "cold.startup",
                "start-up to ready, container flags + " + (archive == null ? "no archive" : withLabel),
                archive == null ? startWithout : startWith,
                "s",
                2,
                Goal.AT_MOST,
                true,
                "median of " + (archive == null ? plain : shared).size() + " (" + withLabel + ")"));
        report.add(BenchKit.figure(
                "cold.startupNoCds",
                "  the same without the archive",
                startWithout,
                "s",
                Double.NaN,
                Goal.NONE,
                true,
                "median of " + plain.size()));
        report.add(BenchKit.figure(
                "cold.startupCpu",
                "  CPU to ready, with / without archive",
                BenchKit.median(archive == null ? plainCpu : sharedCpu),
                "core-s",
                Double.NaN,
                Goal.NONE,
                true,
                String.format("without: %.2f core-s (median)", BenchKit.median(plainCpu))));
        report.add(BenchKit.figure(
                "cold.rate",
                "first 20k deliveries of a fresh replica",
                cold.rate(),
                "deliv/s",
                Double.NaN,
                Goal.NONE,
                cold.complete(),
                cold.complete() ? "" : "time cap reached"));
        report.add(BenchKit.figure(
                "cold.warm",
                "  next 20k, same replica (warm)",
                warm.rate(),
                "deliv/s",
                Double.NaN,
                Goal.NONE,
                warm.complete(),
                warm.complete() ? "" : "time cap reached"));
        report.add(BenchKit.figure(
                "cold.ratio",
                "  fresh / warm",
                100 * cold.rate() / warm.rate(),
                "%",
                50,
                Goal.AT_LEAST,
                cold.complete() && warm.complete(),
                String.format(
                        "service CPU per 1,000: %.2f cold, %.2f warm core-s", cold.cpuPer1000(), warm.cpuPer1000())));
        report.add(BenchKit.figure(
                "cold.rss",
                "peak RSS, container flags, under load",
                rss,
                "MB",
                350,
                Goal.AT_MOST,
                true,
                "VmHWM of the cold replica over start-up and both backlogs; " + CONTAINER_MEMORY));
        report.detail("cold", details);
    }

    /**
     * Generates the AppCDS archive with src/main/docker/appcds.sh, the script the container build runs, with the
     * container's flags; null (and a message) when that fails.
     */
    private Path archive(Map<String, Object> details) throws Exception {
        Path app = project.resolve("target/quarkus-app");
        ProcessBuilder pb = new ProcessBuilder(
                        "sh", project.resolve("src/main/docker/appcds.sh").toString(), app.toString())
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(out.resolve("cold-appcds.log").toFile());
        // as in a container build: no configuration but the flags
        pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("HOOKLINE_"));
        pb.environment().put("JAVA_OPTS", String.join(" ", jvm(null)));
        pb.environment().put("PATH", javaHome.resolve("bin") + ":" + System.getenv("PATH"));
        long t = System.nanoTime();
        Process p = pb.start();
        boolean exited = p.waitFor(240, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
        }
        double seconds = (System.nanoTime() - t) / 1e9;
        Path archive =
                Files.isRegularFile(app.resolve("app.aot")) ? app.resolve("app.aot") : app.resolve("app-cds.jsa");
        if (!exited || p.exitValue() != 0 || !Files.isRegularFile(archive)) {
            System.out.printf(
                    "  AppCDS archive NOT generated (%s); see target/bench/cold-appcds.log: measuring without%n",
                    exited ? "exit " + p.exitValue() : "time out");
            details.put("archive", "failed");
            return null;
        }
        long mb = Files.size(archive) / (1024 * 1024);
        System.out.printf(
                "  %s generated by src/main/docker/appcds.sh in %.1f s: %d MB (%s)%n",
                aot(archive) ? "AOT cache" : "AppCDS archive", seconds, mb, archive.getFileName());
        details.put("archive", Map.of("seconds", seconds, "megabytes", mb));
        return archive;
    }

    private void startAndStop(
            String name, Path archive, List<Double> seconds, List<Double> cpu, List<Map<String, Double>> threads)
            throws Exception {
        ServiceProcess s = ServiceProcess.start(
                name, javaHome, project, out, jvm(archive), false, BenchKit.env(db, jwt, masterKey, true));
        try {
            s.awaitReady(Duration.ofSeconds(90));
            double used = s.cpuTicks() / BenchKit.TICKS;
            seconds.add(s.startupSeconds());
            cpu.add(used);
            if (threads != null) {
                Map<String, Double> byThread = new LinkedHashMap<>();
                Proc.threadTicks(s.pid()).entrySet().stream()
                        .filter(e -> e.getValue() >= 10)
                        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                        .forEach(e -> byThread.put(e.getKey(), e.getValue() / BenchKit.TICKS));
                threads.add(byThread);
            }
            System.out.printf("  %s: ready in %.2f s, %.2f core-s of CPU%n", name, s.startupSeconds(), used);
        } finally {
            s.stop(Duration.ofSeconds(15));
        }
    }

    record Drained(double rate, boolean complete, double cpuPer1000) {}

    /** Commits the waiting backlog (or loads one when null) and measures first to last arrival. */
    private Drained drain(ServiceProcess svc, String tag, BenchDb.Load waiting, Map<String, Object> details)
            throws Exception {
        receivers.reset(false);
        Sampler sampler = new Sampler(db, svc);
        long t0 = System.nanoTime();
        if (waiting != null) {
            waiting.commit();
            waiting.close();
        } else {
            db.loadDue(tag, DELIVERIES, hooks, "bench.cold", false);
        }
        long committed = System.nanoTime();
        boolean done = BenchKit.await(tag, receivers::received, DELIVERIES, Duration.ofSeconds(o.quick() ? 45 : 90));
        Sampler.Usage usage = sampler.finish();
        long got = receivers.received();
        double seconds = (receivers.lastNanos() - receivers.firstNanos()) / 1e9;
        double rate = got / seconds;
        double firstMs = (receivers.firstNanos() - committed) / 1e6;
        double cpuPer1000 = usage.serviceCpu() / (got / 1000.0);
        System.out.printf(
                "  %s: %,d in %.2f s = %,.0f/s%s (first arrival %.0f ms after the commit), %.2f core-s of service CPU"
                        + " per 1,000; %s%n",
                tag, got, seconds, rate, done ? "" : " (time cap)", firstMs, cpuPer1000, usage.cpuLine());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("received", got);
        d.put("seconds", seconds);
        d.put("rate", rate);
        d.put("firstArrivalMsAfterCommit", firstMs);
        d.put("loadSeconds", (committed - t0) / 1e9);
        d.put("complete", done);
        d.put("serviceCpuPer1000", cpuPer1000);
        d.put("cpu", usage.cpuLine());
        d.put("serviceThreadsCoreSeconds", usage.serviceThreads());
        details.put(tag, d);
        return new Drained(rate, done, cpuPer1000);
    }
}
