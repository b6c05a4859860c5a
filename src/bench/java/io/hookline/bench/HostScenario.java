package io.hookline.bench;

import io.hookline.bench.Report.Goal;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "host": {@value #HOOKS} webhooks of one tenant, all on one receiver host:port (different paths), as a platform
 * whose customers all run behind one gateway would have them. The service pools its connections per host and port,
 * so this is what one busy host gets. A replica with the bench's JVM flags starts (dispatcher on), the webhooks are
 * created through its API, then two backlogs of {@code bench.drain} deliveries are loaded one after the other (each in
 * one transaction, so the replica sees it at once): the first is the fresh replica's rate, the second the warm one.
 * Rates are first to last arrival. Target of issue 12: 8,000 deliveries/s.
 */
final class HostScenario {
    static final int HOOKS = 32;
    /** Receiver index of the first webhook: a multiple of the receiver count, so {@code base + k * ports} share port 0. */
    private static final int BASE_FACTOR = 100;

    private final Options o;
    private final Path project;
    private final Path out;
    private final BenchDb db;
    private final Vertx vertx;
    private final Jwt jwt;
    private final String masterKey;
    private final Report report;
    private final Receivers receivers;

    HostScenario(
            Options o,
            Path project,
            Path out,
            BenchDb db,
            Vertx vertx,
            Jwt jwt,
            String masterKey,
            Report report,
            Receivers receivers) {
        this.o = o;
        this.project = project;
        this.out = out;
        this.db = db;
        this.vertx = vertx;
        this.jwt = jwt;
        this.masterKey = masterKey;
        this.report = report;
        this.receivers = receivers;
    }

    void run() throws Exception {
        int n = o.drain();
        BenchKit.section("host: " + HOOKS + " webhooks on one receiver host:port, two backlogs of " + n);
        db.truncateQueue();
        ServiceProcess svc = ServiceProcess.start(
                "service-host", project, out, o.serviceJvm(), o.jfr(), BenchKit.env(db, jwt, masterKey, true));
        try {
            svc.awaitReady(Duration.ofSeconds(90));
            System.out.printf("  service-host (pid %d) ready in %.2f s%n", svc.pid(), svc.startupSeconds());
            List<String[]> hooks = new ArrayList<>();
            int ports = receivers.ports();
            int base = BASE_FACTOR * ports;
            try (ApiClient client = new ApiClient(vertx, svc.port, jwt, 8)) {
                for (int i = 0; i < HOOKS; i++) {
                    int index = base + i * ports;
                    String[] created = client.createWebhook("bench-host", receivers.url(index));
                    receivers.register(index, created[1], Receivers.GROUP_NORMAL);
                    hooks.add(new String[] {created[0], "bench-host"});
                }
            }
            System.out.printf("  %d webhooks, all on 127.0.0.1:%d%n", HOOKS, receivers.port(base));
            Map<String, Object> details = new LinkedHashMap<>();
            Drained fresh = drain(svc, "hostA", n, hooks, details);
            Drained warm = drain(svc, "hostB", n, hooks, details);
            report.add(BenchKit.figure(
                    "host.fresh",
                    "one host, 32 webhooks, fresh replica",
                    fresh.rate(),
                    "deliv/s",
                    8_000,
                    Goal.AT_LEAST,
                    fresh.complete(),
                    "first backlog after start-up"));
            report.add(BenchKit.figure(
                    "host.warm",
                    "one host, 32 webhooks, warm",
                    warm.rate(),
                    "deliv/s",
                    8_000,
                    Goal.AT_LEAST,
                    warm.complete(),
                    "second backlog, same replica"));
            report.detail("host", details);
        } finally {
            double rss = svc.peakRssMb();
            svc.stop(Duration.ofSeconds(15));
            System.out.printf("  service-host stopped (peak RSS %.0f MB)%n", rss);
        }
    }

    record Drained(double rate, boolean complete) {}

    private Drained drain(ServiceProcess svc, String tag, int n, List<String[]> hooks, Map<String, Object> details)
            throws Exception {
        receivers.reset(false);
        Sampler sampler = new Sampler(db, svc);
        db.loadDue(tag, n, hooks, "bench.host", false);
        boolean done = BenchKit.await(tag, receivers::received, n, Duration.ofSeconds(o.quick() ? 45 : 90));
        Sampler.Usage usage = sampler.finish();
        long got = receivers.received();
        double seconds = (receivers.lastNanos() - receivers.firstNanos()) / 1e9;
        double rate = got / seconds;
        System.out.printf(
                "  %s: %,d in %.2f s = %,.0f/s%s, %.2f core-s of service CPU per 1,000; %s%n",
                tag,
                got,
                seconds,
                rate,
                done ? "" : " (time cap)",
                usage.serviceCpu() / (got / 1000.0),
                usage.cpuLine());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("received", got);
        d.put("seconds", seconds);
        d.put("rate", rate);
        d.put("complete", done);
        d.put("serviceCpuPer1000", usage.serviceCpu() / (got / 1000.0));
        d.put("cpu", usage.cpuLine());
        d.put("serviceThreadsCoreSeconds", usage.serviceThreads());
        details.put(tag, d);
        return new Drained(rate, done);
    }
}
