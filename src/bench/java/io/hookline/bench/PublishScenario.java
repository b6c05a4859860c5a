package io.hookline.bench;

import io.hookline.bench.Report.Figure;
import io.hookline.bench.Report.Goal;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Single-event publish (issue 12, item 3): {@code clients} concurrent publishers (32) over keep-alive connections, one
 * {@code POST /v1/events} of about 1 KiB each in flight per client, spread over the {@code hooks} tenants with one
 * webhook each, on the replica with its dispatcher on, so the deliveries flow to the verifying receivers while it
 * publishes (as in e2e). Prints events/s against the 3,000/s target and against PostgreSQL's own rate for the same
 * statement (pgbench of sql/queue/publish.sql without the NOTIFY, {@link Limits#publishRate}), and the service's CPU
 * per 1,000 publishes: for the whole replica in the publish window (its dispatcher's sends included) and for the API's
 * threads alone (the event loops also carry the sends' I/O, so the whole-replica figure is the honest one).
 * <p>
 * A warm-up of half as many events runs first and is not counted: the JIT, the pools and the statements' plans.
 */
final class PublishScenario {
    private static final double TARGET = 3_000;

    private final Options o;
    private final Path out;
    private final BenchDb db;
    private final Vertx vertx;
    private final Jwt jwt;
    private final Receivers receivers;
    private final Report report;
    private final List<String[]> hooks;
    private final double publishLimit;

    PublishScenario(
            Options o,
            Path out,
            BenchDb db,
            Vertx vertx,
            Jwt jwt,
            Receivers receivers,
            Report report,
            List<String[]> hooks,
            double publishLimit) {
        this.o = o;
        this.out = out;
        this.db = db;
        this.vertx = vertx;
        this.jwt = jwt;
        this.receivers = receivers;
        this.report = report;
        this.hooks = hooks;
        this.publishLimit = publishLimit;
    }

    /** One bench line registers it: {@code new PublishScenario(...).run(svc)}. */
    void run(ServiceProcess svc) throws Exception {
        int n = o.events();
        System.out.println();
        System.out.println("== publish: " + String.format("%,d", n) + " single-event publishes by " + o.clients()
                + " concurrent clients over keep-alive (~1 KiB each), 1 webhook per tenant, deliveries flowing");
        if (!Double.isNaN(publishLimit)) {
            System.out.println("  PostgreSQL alone, the transaction of four statements with NOTIFY (limits): "
                    + Report.fmt(publishLimit) + " publishes/s");
        }
        db.truncateQueue();
        Limits.Measured pg = Limits.publishRate(out, db, hooks.get(0)[1], o.clients(), o.quick() ? 3 : 5, false);
        double limit = pg.ok() ? pg.value() : Double.NaN;
        String limitNote = pg.ok() ? pg.note() : "pgbench skipped: " + pg.note();
        System.out.println("  PostgreSQL alone, the service's publish statement: "
                + (pg.ok() ? Report.fmt(pg.value()) + " publishes/s, " : "") + pg.note());
        db.truncateQueue();
        receivers.reset(false);
        try (ApiClient client = new ApiClient(vertx, svc.port, jwt, o.clients())) {
            Run warm = publish(client, Math.max(2_000, n / 2), "bench.publish.warmup", null);
            System.out.printf("  warm-up: %,d published at %,.0f events/s%n", warm.ok, warm.rate());
            awaitDelivered(warm.ok);
            receivers.reset(false);
            long[] ticks = userSystemTicks(svc.pid());
            Sampler sampler = new Sampler(db, svc);
            Run run = publish(client, n, "bench.publish", sampler);
            Sampler.Usage usage = run.usage;
            long[] after = userSystemTicks(svc.pid());
            double user = (after[0] - ticks[0]) / Proc.HZ / (run.ok / 1000.0);
            double system = (after[1] - ticks[1]) / Proc.HZ / (run.ok / 1000.0);
            boolean delivered = awaitDelivered(run.ok);
            for (String line : Sampler.describe(usage)) {
                System.out.println("  " + line);
            }
            double perThousand = usage.serviceCpu() / (run.ok / 1000.0);
            double api = apiThreads(usage) / (run.ok / 1000.0);
            double pgPerThousand = usage.postgresCpu() / (run.ok / 1000.0);
            System.out.printf(
                    "  published %,d (%,d failed: %s) in %.1f s = %,.0f events/s (target %,.0f: %.0f %%; PostgreSQL alone "
                            + "%s/s: %.0f %% of what it allows); service %.2f core-s per 1,000 (user %.2f, kernel %.2f; "
                            + "API threads %.2f), PostgreSQL %.2f; load average %s%n",
                    run.ok,
                    run.failed,
                    run.failures,
                    run.seconds,
                    run.rate(),
                    TARGET,
                    100 * run.rate() / TARGET,
                    Report.fmt(limit),
                    100 * run.rate() / limit,
                    perThousand,
                    user,
                    system,
                    api,
                    pgPerThousand,
                    Proc.loadAverage());
            String note = run.failed > 0 ? run.failed + " publishes failed " + run.failures : "";
            if (!run.complete) {
                note += " time cap reached";
            }
            if (!delivered) {
                note += " deliveries not all received within 60 s";
            }
            report.add(new Figure(
                    "publish",
                    "single-event publish, " + o.clients() + " clients (ratio: of what PostgreSQL alone allows)",
                    run.rate(),
                    "events/s",
                    limit,
                    limitNote,
                    TARGET,
                    Goal.AT_LEAST,
                    run.complete && run.failed == 0,
                    note.trim()));
            report.add(new Figure(
                    "cpu.publish",
                    "  service CPU per 1,000 publishes (deliveries flowing)",
                    perThousand,
                    "core-s",
                    Double.NaN,
                    "",
                    Double.NaN,
                    Goal.NONE,
                    run.complete,
                    ""));
            report.add(new Figure(
                    "cpu.publish.api",
                    "  of it on the API threads (executor, event loops)",
                    api,
                    "core-s",
                    Double.NaN,
                    "",
                    Double.NaN,
                    Goal.NONE,
                    run.complete,
                    "the event loops also carry the deliveries' I/O"));
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("published", run.ok);
            detail.put("failed", run.failed);
            detail.put("failures", run.failures.toString());
            detail.put("seconds", run.seconds);
            detail.put("received", receivers.received());
            detail.put("doubleSends", receivers.doubleSends());
            detail.put("postgresPublishStatementPerSecond", Double.isNaN(limit) ? "skipped" : limit);
            detail.put(
                    "postgresPublishTransactionWithNotifyPerSecond",
                    Double.isNaN(publishLimit) ? "not measured (limits did not run)" : publishLimit);
            detail.put("serviceCpuPer1000", perThousand);
            detail.put("apiThreadsCpuPer1000", api);
            detail.put("serviceUserCpuPer1000", user);
            detail.put("serviceKernelCpuPer1000", system);
            detail.put("postgresCpuPer1000", pgPerThousand);
            detail.put("cpu", usage.cpuLine());
            detail.put("serviceThreadsCoreSeconds", usage.serviceThreads());
            detail.put("postgresWaitSummary", usage.waitLine(6));
            detail.put("loadAverage", Proc.loadAverage());
            report.detail("publish", detail);
        }
    }

    /** The threads that serve the API: the worker pool that runs the publish and the HTTP event loops. */
    private static double apiThreads(Sampler.Usage u) {
        double sum = 0;
        for (Map.Entry<String, Double> e : u.serviceThreads().entrySet()) {
            String k = e.getKey();
            if (k.startsWith("executor-thread") || k.startsWith("vert.x-eventloo")) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    /** utime and stime of a process in clock ticks, from /proc/PID/stat (fields 14 and 15). */
    private static long[] userSystemTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private boolean awaitDelivered(long n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (receivers.received() < n) {
            if (System.nanoTime() > deadline) {
                System.out.printf("  deliveries: %,d of %,d received after 60 s%n", receivers.received(), n);
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private static final class Run {
        long ok;
        long failed;
        Map<Integer, Long> failures;
        double seconds;
        boolean complete;
        Sampler.Usage usage;

        double rate() {
            return ok / Math.max(seconds, 1e-9);
        }
    }

    /** {@code n} publishes, {@code clients} at a time, each client sending its next when its answer is in. */
    private Run publish(ApiClient client, int n, String type, Sampler sampler) throws InterruptedException {
        AtomicLong next = new AtomicLong();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        LongAdder answered = new LongAdder();
        Map<Integer, Long> failures = new ConcurrentHashMap<>();
        AtomicLong last = new AtomicLong();
        long t0 = System.nanoTime();
        for (int c = 0; c < o.clients(); c++) {
            next(client, type, next, n, ok, failed, failures, answered, last);
        }
        long deadline = t0 + Duration.ofSeconds(o.quick() ? 60 : 120).toNanos();
        long print = t0 + 5_000_000_000L;
        boolean complete = true;
        while (answered.sum() < n) {
            long now = System.nanoTime();
            if (now > deadline) {
                next.set(n);
                complete = false;
                Thread.sleep(2_000); // what is in flight answers
                break;
            }
            if (now > print) {
                System.out.printf("  %s: %,d of %,d after %.0f s%n", type, answered.sum(), n, (now - t0) / 1e9);
                print += 5_000_000_000L;
            }
            Thread.sleep(1);
        }
        Run r = new Run();
        r.usage = sampler == null ? null : sampler.finish();
        r.ok = ok.sum();
        r.failed = failed.sum();
        r.failures = failures;
        r.seconds = (last.get() - t0) / 1e9;
        r.complete = complete;
        return r;
    }

    private void next(
            ApiClient client,
            String type,
            AtomicLong next,
            int n,
            LongAdder ok,
            LongAdder failed,
            Map<Integer, Long> failures,
            LongAdder answered,
            AtomicLong last) {
        long i = next.getAndIncrement();
        if (i >= n) {
            return;
        }
        String tenant = hooks.get((int) (i % hooks.size()))[1];
        client.publish(tenant, ApiClient.eventBody(type, i)).onComplete(ar -> {
            if (ar.succeeded() && ar.result().status() == 202) {
                ok.increment();
            } else {
                failed.increment();
                failures.merge(ar.succeeded() ? ar.result().status() : -1, 1L, Long::sum);
            }
            last.accumulateAndGet(System.nanoTime(), Math::max);
            answered.increment();
            next(client, type, next, n, ok, failed, failures, answered, last);
        });
    }
}
