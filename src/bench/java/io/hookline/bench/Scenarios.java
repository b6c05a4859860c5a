package io.hookline.bench;

import io.hookline.bench.Report.Figure;
import io.hookline.bench.Report.Goal;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The measurements, in the order they run:
 * <ol>
 * <li>limits: receiver max rate (wrk) and PostgreSQL's claim + record rate (pgbench), on a replica with its dispatcher
 * off, which also creates the webhooks and loads the drain backlog;</li>
 * <li>drain: a replica started with the dispatcher on over that backlog;</li>
 * <li>one endpoint (a backlog to one webhook with a 1 ms receiver), end-to-end, latency at steady rates, fan-out,
 * scale with table size and slow endpoints on that warm replica;</li>
 * <li>two replicas started together over a new backlog.</li>
 * </ol>
 * Webhooks: {@code hooks} tenants with one webhook each (one receiver port each) carry the throughput figures, so
 * every event fans out to exactly one webhook and the load spreads over hosts as a platform's customers do; one
 * tenant with 20 webhooks serves the slow-endpoint figure and one with {@code fanout} webhooks the fan-out.
 */
final class Scenarios {
    private static final int SLOW_HOOKS = 20;
    private static final int SLOW_BAD = 2;
    private static final int SLOW_BASE = 1000;
    private static final int FANOUT_BASE = 2000;
    private static final int SINGLE_INDEX = 3000;
    private static final int GROUP_SINGLE = 3;
    /** The one-endpoint receiver's answer time (issue 12: "a receiver answering 200 in about 1 ms"). */
    private static final long SINGLE_DELAY_MILLIS = 1;
    /** SIGTERM, then SIGKILL after this (the service's own shutdown grace is 20 s; a collapsed recorder needs more). */
    private static final Duration GRACE = Duration.ofSeconds(15);

    private final Options o;
    private final Path project;
    private final Path out;
    private final BenchDb db;
    private final Vertx vertx;
    private final Jwt jwt;
    private final String masterKey;
    private final Report report = new Report();
    private final Receivers receivers;
    private final String limitSecret;

    /** {webhook id, tenant} */
    private final List<String[]> mainHooks = new ArrayList<>();

    private final List<String[]> slowHooks = new ArrayList<>();
    private String[] singleHook;
    private double receiverLimit = Double.NaN;
    private double postgresLimit = Double.NaN;
    private double publishLimit = Double.NaN;
    private double drainRate = Double.NaN;
    private final List<ServiceProcess> ran = new ArrayList<>();

    Scenarios(
            Options o,
            Path project,
            Path out,
            BenchDb db,
            Vertx vertx,
            Jwt jwt,
            String masterKey,
            String pgVersion,
            String started)
            throws Exception {
        this.o = o;
        this.project = project;
        this.out = out;
        this.db = db;
        this.vertx = vertx;
        this.jwt = jwt;
        this.masterKey = masterKey;
        this.receivers = new Receivers(vertx, o.hooks());
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.limitSecret = "whsec_" + Base64.getEncoder().encodeToString(secret);
        receivers.registerLimit(limitSecret);
        report.header("date", started);
        report.header("quick", o.quick());
        report.header("nproc", Runtime.getRuntime().availableProcessors());
        report.header("cpu", Proc.cpuModel());
        report.header("memTotalMb", Proc.memTotalMb());
        report.header("loadAverageAtStart", Proc.loadAverage());
        report.header("postgresql", pgVersion);
        report.header("java", System.getProperty("java.version"));
        report.header("serviceJvmArgs", String.join(" ", o.serviceJvm()));
        report.header("options", o.toString());
        try (var c = db.connect()) {
            Map<String, String> pg = new LinkedHashMap<>();
            for (String s : List.of(
                    "shared_buffers",
                    "synchronous_commit",
                    "fsync",
                    "autovacuum",
                    "max_connections",
                    "wal_level",
                    "max_wal_size")) {
                pg.put(s, BenchDb.setting(c, s));
            }
            report.header("postgresSettings", pg);
        }
        System.out.printf(
                "machine: %d cores (%s), %,d MB RAM, PostgreSQL %s, load average %s%n",
                Runtime.getRuntime().availableProcessors(),
                Proc.cpuModel(),
                Proc.memTotalMb(),
                pgVersion,
                Proc.loadAverage());
        System.out.println("service JVM: " + String.join(" ", o.serviceJvm()) + (o.jfr() ? " + JFR" : ""));
    }

    boolean failed() {
        return receivers.totalBadSignatures() > 0;
    }

    void all() throws Exception {
        if (o.want("limits")) {
            section("machine limit: receiver max request rate (wrk)");
            Limits.Measured wrk = Limits.receiverRate(out, receivers.port(0), limitSecret, o.wrkSeconds());
            receiverLimit = wrk.value();
            System.out.println(
                    "  " + (wrk.ok() ? Report.fmt(wrk.value()) + " requests/s, " : "skipped: ") + wrk.note());
            report.detail("limit.receiver", Map.of("value", wrk.ok() ? wrk.value() : "skipped", "how", wrk.note()));
        }

        section("replica 1: dispatcher off (creates webhooks, loads backlogs)");
        ServiceProcess api = start("service-1-api", false);
        report.add(new Figure(
                "startup.first",
                "start-up to ready, first (Flyway migrates)",
                api.startupSeconds(),
                "s",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                true,
                ""));
        try (ApiClient client = new ApiClient(vertx, api.port, jwt, 16)) {
            createWebhooks(client);
        }
        if (o.want("limits")) {
            section("machine limit: PostgreSQL claim + record (pgbench, service's own statements)");
            int rows = Math.max(o.drain(), 10_000);
            db.truncateQueue();
            db.loadDue("pgb", rows, mainHooks, "bench.pgbench", false);
            Limits.Measured pg = Limits.postgresRate(out, db, Math.max(1, rows / (4 * 100)), 4, 100);
            postgresLimit = pg.value();
            System.out.println("  " + (pg.ok() ? Report.fmt(pg.value()) + " deliveries/s, " : "skipped: ") + pg.note());
            report.detail("limit.postgres", Map.of("value", pg.ok() ? pg.value() : "skipped", "how", pg.note()));
            db.truncateQueue();
            section("machine limit: PostgreSQL publish transaction (pgbench, service's own statements)");
            int seconds = o.quick() ? 3 : 5;
            Limits.Measured withNotify = Limits.publishRate(out, db, mainHooks.get(0)[1], 16, seconds, true);
            Limits.Measured without = Limits.publishRate(out, db, mainHooks.get(0)[1], 16, seconds, false);
            publishLimit = withNotify.value();
            System.out.println(
                    "  " + (withNotify.ok() ? Report.fmt(withNotify.value()) + " publishes/s, " : "skipped: ")
                            + withNotify.note());
            System.out.println("  " + (without.ok() ? Report.fmt(without.value()) + " publishes/s, " : "skipped: ")
                    + without.note() + " (for comparison: what the NOTIFY costs)");
            report.detail(
                    "limit.publish",
                    Map.of(
                            "withNotify",
                            withNotify.ok() ? withNotify.value() : "skipped",
                            "withoutNotify",
                            without.ok() ? without.value() : "skipped",
                            "how",
                            withNotify.note()));
            db.truncateQueue();
        }
        stop(api);

        section("2. drain: replica 2 starts with its dispatcher on over a backlog of " + count(o.drain()));
        BenchDb.Load backlog = o.want("drain") ? load("drain", o.drain()) : null;
        ServiceProcess svc = start("service-2", true);
        report.add(new Figure(
                "startup.restart",
                "start-up to ready, restart",
                svc.startupSeconds(),
                "s",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                true,
                ""));
        if (backlog != null) {
            drain(svc, backlog);
            svc = restartIfUnhealthy(svc);
        }
        if (o.want("single")) {
            single(svc);
            svc = restartIfUnhealthy(svc);
        }
        if (o.want("e2e")) {
            try (ApiClient client = new ApiClient(vertx, svc.port, jwt, 64)) {
                endToEnd(svc, client);
            }
            svc = restartIfUnhealthy(svc);
        }
        if (o.want("publish")) { // issue 12 item 3: single-event publish, in its own file
            new PublishScenario(o, out, db, vertx, jwt, receivers, report, mainHooks, publishLimit).run(svc);
        }
        if (o.want("batch")) { // issue 12, batch publish: see BatchScenario
            try (ApiClient client = new ApiClient(vertx, svc.port, jwt, 64)) {
                new BatchScenario(o, db, receivers, report, mainHooks, svc).run(client);
            }
            svc = restartIfUnhealthy(svc);
        }
        if (o.want("latency")) {
            for (int rate : o.rates()) {
                try (ApiClient client = new ApiClient(vertx, svc.port, jwt, 64)) {
                    latency(svc, client, rate);
                }
                svc = restartIfUnhealthy(svc);
            }
        }
        if (o.want("fanout")) {
            try (ApiClient client = new ApiClient(vertx, svc.port, jwt, 64)) {
                fanout(svc, client);
            }
            svc = restartIfUnhealthy(svc);
        }
        if (o.want("scale")) {
            scale(svc);
            svc = restartIfUnhealthy(svc);
        }
        if (o.want("slow")) {
            slow(svc);
        }
        stop(svc);
        if (o.want("peer")) {
            new PeerScenario(o, project, out, db, vertx, jwt, receivers, report, this::start).run();
        }

        if (o.want("replicas")) {
            replicas();
        }
        if (o.want("host")) new HostScenario(o, project, out, db, vertx, jwt, masterKey, report, receivers).run();
        if (o.want("cold")) new ColdScenario(o, project, out, db, jwt, masterKey, report, receivers, mainHooks).run();
        processFigures();
        finish();
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void createWebhooks(ApiClient client) throws Exception {
        int total = o.hooks() + SLOW_HOOKS + (o.want("fanout") ? o.fanout() : 0) + (o.want("single") ? 1 : 0);
        System.out.printf("  creating %,d webhooks through the API...%n", total);
        long t = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String[]>> main = new ArrayList<>();
            for (int i = 0; i < o.hooks(); i++) {
                int index = i;
                main.add(pool.submit(() -> create(client, "bench-" + index, index, Receivers.GROUP_NORMAL)));
            }
            for (Future<String[]> f : main) {
                mainHooks.add(f.get());
            }
            List<Future<String[]>> slow = new ArrayList<>();
            for (int i = 0; i < SLOW_HOOKS; i++) {
                int index = SLOW_BASE + i;
                int group = i < SLOW_BAD ? Receivers.GROUP_SLOW : Receivers.GROUP_HEALTHY;
                slow.add(pool.submit(() -> create(client, "bench-slow", index, group)));
            }
            for (Future<String[]> f : slow) {
                slowHooks.add(f.get());
            }
            if (o.want("single")) {
                singleHook = create(client, "bench-single", SINGLE_INDEX, GROUP_SINGLE);
                receivers.setDelay(SINGLE_INDEX, SINGLE_DELAY_MILLIS);
            }
            if (o.want("fanout")) {
                List<Future<String[]>> fan = new ArrayList<>();
                for (int i = 0; i < o.fanout(); i++) {
                    int index = FANOUT_BASE + i;
                    fan.add(pool.submit(() -> create(client, "bench-fanout", index, Receivers.GROUP_NORMAL)));
                }
                for (Future<String[]> f : fan) {
                    f.get();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf(
                "  created in %.1f s (%d receiver ports)%n", (System.nanoTime() - t) / 1e9, receivers.ports());
    }

    private String[] create(ApiClient client, String tenant, int index, int group) throws Exception {
        String[] created = client.createWebhook(tenant, receivers.url(index));
        receivers.register(index, created[1], group);
        return new String[] {created[0], tenant};
    }

    // 2 -------------------------------------------------------------------------------------------------------------

    /** Inserts a due backlog in a transaction left open (see {@link BenchDb.Load}). */
    private BenchDb.Load load(String tag, int n) throws Exception {
        System.out.printf("  inserting %,d due deliveries with SQL, uncommitted until the replicas are ready...%n", n);
        long t = System.nanoTime();
        BenchDb.Load load = db.beginDue(tag, n, mainHooks, "bench." + tag);
        System.out.printf("  inserted in %.1f s%n", (System.nanoTime() - t) / 1e9);
        return load;
    }

    /**
     * The backlog becomes visible to the (just started, ready, idle) replica at one instant; the rate is from the first
     * arrival to the last, the CPU from the commit to the last arrival.
     */
    private void drain(ServiceProcess svc, BenchDb.Load backlog) throws Exception {
        receivers.reset(false);
        Sampler sampler = new Sampler(db, svc);
        backlog.commit();
        backlog.close();
        boolean done = await(
                "drain",
                () -> receivers.received() >= o.drain(),
                receivers::received,
                o.drain(),
                Duration.ofSeconds(o.quick() ? 45 : 90));
        Sampler.Usage usage = sampler.finish();
        long received = receivers.received();
        double seconds = (receivers.lastNanos() - receivers.firstNanos()) / 1e9;
        drainRate = received / seconds;
        long stuck = notSucceeded("dlv_drain_%", Duration.ofSeconds(10));
        describe(usage);
        System.out.printf(
                "  %,d received in %.1f s, %d double sends, %d not succeeded%n",
                received, seconds, receivers.doubleSends(), stuck);
        String note = done ? "" : "time cap reached at " + received + " of " + o.drain();
        if (stuck > 0) {
            note += (note.isEmpty() ? "" : "; ") + stuck + " deliveries not recorded as succeeded 10 s after the last "
                    + "arrival";
        }
        report.add(rateFigure(
                "drain", "drain rate, " + count(o.drain()) + " backlog", drainRate, 10_000, done && stuck == 0, note));
        report.add(new Figure(
                "drain.recorded",
                "  recorded as succeeded 10 s after last arrival",
                100.0 * (received - stuck) / o.drain(),
                "%",
                Double.NaN,
                "",
                100,
                Goal.AT_LEAST,
                true,
                "the rest stays in_flight until its result is written or its lease (40 s) expires"));
        List<String> recordPlan = BenchDb.explainGeneric(db, "queue/record.sql");
        if (stuck > 0) {
            System.out.println("  RECORD plan as the replica's prepared statement runs it (generic plan):");
            recordPlan.forEach(line -> System.out.println("    " + line));
        }
        report.detail("drain.recordPlan", recordPlan);
        report.add(new Figure(
                "cpu.drain",
                "service CPU per 1,000 deliveries (drain)",
                usage.serviceCpu() / (received / 1000.0),
                "core-s",
                Double.NaN,
                "",
                0.3,
                Goal.AT_MOST,
                done,
                "utime+stime of the replica from the commit of the backlog to the last arrival"));
        report.detail(
                "drain",
                details(
                        usage,
                        Map.of(
                                "received",
                                received,
                                "seconds",
                                seconds,
                                "stuck",
                                stuck,
                                "doubleSends",
                                receivers.doubleSends())));
    }

    // 2b ------------------------------------------------------------------------------------------------------------

    /**
     * One endpoint takes every event (a platform whose biggest customer gets them all): a backlog to one webhook
     * whose receiver answers in about 1 ms, committed at once while the replica runs. The rate is from the first
     * arrival to the last. Also read from the replica's metrics: claims given back meanwhile (issue 12: they stay near
     * zero) and the endpoint's adaptive limit at the end.
     */
    private void single(ServiceProcess svc) throws Exception {
        int n = o.singleDeliveries();
        section("2b. one endpoint: drain " + count(n) + " deliveries to one webhook, receiver answering in "
                + SINGLE_DELAY_MILLIS + " ms");
        db.truncateQueue();
        receivers.reset(false);
        double releasedBefore = serviceMetric(svc, "hookline_deliveries_released_total{");
        Sampler sampler = new Sampler(db, svc);
        db.loadDue("single", n, List.<String[]>of(singleHook), "bench.single", false);
        boolean done = await(
                "one endpoint",
                () -> receivers.received(GROUP_SINGLE) >= n,
                () -> receivers.received(GROUP_SINGLE),
                n,
                Duration.ofSeconds(o.quick() ? 45 : 90));
        Sampler.Usage usage = sampler.finish();
        long received = receivers.received(GROUP_SINGLE);
        double seconds = (receivers.lastNanos() - receivers.firstNanos()) / 1e9;
        double rate = received / seconds;
        long stuck = notSucceeded("dlv_single_%", Duration.ofSeconds(10));
        double released = serviceMetric(svc, "hookline_deliveries_released_total{") - releasedBefore;
        double limit = serviceMetric(svc, "hookline_endpoint_concurrency_limit{stat=\"max\"");
        describe(usage);
        System.out.printf(
                "  %,d received in %.2f s = %,.0f deliveries/s; %d double sends, %d not succeeded; %,.0f claims given "
                        + "back; endpoint limit at the end %.0f%n",
                received, seconds, rate, receivers.doubleSends(), stuck, released, limit);
        String note = done ? "" : "time cap reached at " + received + " of " + n;
        if (stuck > 0) {
            note += (note.isEmpty() ? "" : "; ") + stuck + " not recorded as succeeded 10 s after the last arrival";
        }
        report.add(rateFigure(
                "single",
                "one endpoint (" + SINGLE_DELAY_MILLIS + " ms receiver), drain of " + count(n),
                rate,
                5_000,
                done && stuck == 0,
                note));
        report.add(new Figure(
                "single.released",
                "  claims given back during it",
                released,
                "count",
                Double.NaN,
                "",
                n / 100.0,
                Goal.AT_MOST,
                done,
                "hookline_deliveries_released_total, all reasons"));
        report.detail(
                "single",
                details(
                        usage,
                        Map.of(
                                "received",
                                received,
                                "seconds",
                                seconds,
                                "stuck",
                                stuck,
                                "released",
                                released,
                                "endpointLimitAtEnd",
                                limit,
                                "doubleSends",
                                receivers.doubleSends())));
    }

    /** The sum of the replica's Prometheus samples whose line starts with {@code prefix} (NaN if unreadable). */
    private static double serviceMetric(ServiceProcess svc, String prefix) {
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + svc.port + "/q/metrics"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            double sum = 0;
            for (String line : answer.body().split("\n")) {
                if (line.startsWith(prefix)) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return sum;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    // 1 -------------------------------------------------------------------------------------------------------------

    private void endToEnd(ServiceProcess svc, ApiClient client) throws Exception {
        section("1. end-to-end: " + count(o.events()) + " events published by " + o.clients()
                + " concurrent clients, 1 webhook each");
        db.truncateQueue();
        receivers.reset(false);
        int n = o.events();
        AtomicLong next = new AtomicLong();
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        Map<Integer, Long> failures = new ConcurrentHashMap<>();
        AtomicLong lastAnswer = new AtomicLong();
        LongAdder issued = new LongAdder();
        LongAdder answered = new LongAdder();
        Sampler sampler = new Sampler(db, svc);
        long t0 = System.nanoTime();
        for (int c = 0; c < o.clients(); c++) {
            publishNext(client, next, n, ok, failed, failures, lastAnswer, issued, answered);
        }
        boolean published =
                await("publish", () -> answered.sum() >= n, ok::sum, n, Duration.ofSeconds(o.quick() ? 45 : 75));
        if (!published) {
            next.set(n); // stop issuing; what is in flight still completes
            await(
                    "in flight",
                    () -> answered.sum() >= issued.sum(),
                    answered::sum,
                    issued.sum(),
                    Duration.ofSeconds(30));
        }
        double publishSeconds = (lastAnswer.get() - t0) / 1e9;
        boolean delivered = await(
                "deliver",
                () -> receivers.received() >= ok.sum(),
                receivers::received,
                ok.sum(),
                Duration.ofSeconds(60));
        Sampler.Usage usage = sampler.finish();
        long received = receivers.received();
        double seconds = (receivers.lastNanos() - t0) / 1e9;
        long stuck = notSucceeded("%", Duration.ofSeconds(10));
        describe(usage);
        System.out.printf(
                "  published %,d (%,d failed: %s) in %.1f s = %,.0f events/s; last delivery at %.1f s%n",
                ok.sum(), failed.sum(), failures, publishSeconds, ok.sum() / publishSeconds, seconds);
        String note = failed.sum() > 0 ? failed.sum() + " publishes failed " + failures : "";
        if (!published || !delivered) {
            note += " time cap reached";
        }
        if (stuck > 0) {
            note += " " + stuck + " not recorded as succeeded 10 s after the last arrival";
        }
        double limit = Double.isNaN(publishLimit) ? limitRate() : Math.min(publishLimit, limitRate());
        String source = !Double.isNaN(publishLimit) && publishLimit <= limitRate() || Double.isNaN(limitRate())
                ? "postgres publish tx with NOTIFY (pgbench)"
                : limitSource();
        report.add(new Figure(
                "e2e",
                "end-to-end, " + count(n) + " events (1 webhook each)",
                received / seconds,
                "deliv/s",
                limit,
                source,
                5_000,
                Goal.AT_LEAST,
                published && delivered && failed.sum() == 0 && stuck == 0,
                note.trim()));
        report.add(new Figure(
                "e2e.publish",
                "  publish rate (POST /v1/events 202)",
                ok.sum() / publishSeconds,
                "events/s",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                published,
                published ? "" : "time cap reached"));
        report.add(new Figure(
                "cpu.e2e",
                "service CPU per 1,000 events (publish+deliver)",
                usage.serviceCpu() / (received / 1000.0),
                "core-s",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                delivered,
                ""));
        report.detail(
                "e2e",
                details(
                        usage,
                        Map.of(
                                "published",
                                ok.sum(),
                                "failed",
                                failed.sum(),
                                "failures",
                                failures.toString(),
                                "received",
                                received,
                                "seconds",
                                seconds,
                                "publishSeconds",
                                publishSeconds,
                                "stuck",
                                stuck,
                                "doubleSends",
                                receivers.doubleSends())));
    }

    private void publishNext(
            ApiClient client,
            AtomicLong next,
            int n,
            LongAdder ok,
            LongAdder failed,
            Map<Integer, Long> failures,
            AtomicLong lastAnswer,
            LongAdder issued,
            LongAdder answered) {
        long i = next.getAndIncrement();
        if (i >= n) {
            return;
        }
        issued.increment();
        String tenant = mainHooks.get((int) (i % mainHooks.size()))[1];
        client.publish(tenant, ApiClient.eventBody("bench.e2e", i)).onComplete(ar -> {
            if (ar.succeeded() && ar.result().status() == 202) {
                ok.increment();
            } else {
                failed.increment();
                failures.merge(ar.succeeded() ? ar.result().status() : -1, 1L, Long::sum);
            }
            lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
            answered.increment();
            publishNext(client, next, n, ok, failed, failures, lastAnswer, issued, answered);
        });
    }

    // 3 -------------------------------------------------------------------------------------------------------------

    private void latency(ServiceProcess svc, ApiClient client, int rate) throws Exception {
        int total = rate * o.latencySeconds();
        section("3. latency at a steady " + rate + " events/s for " + o.latencySeconds() + " s (open loop, "
                + count(total) + " events)");
        db.truncateQueue();
        receivers.reset(true);
        Map<String, long[]> returned = new ConcurrentHashMap<>();
        LongAdder failed = new LongAdder();
        LongAdder answers = new LongAdder();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Sampler sampler = new Sampler(db, svc);
        long interval = 1_000_000_000L / rate;
        long t0 = System.nanoTime();
        int issued = 0;
        // open loop, but bounded: when the service has fallen more than 2 s of traffic behind, stop sending
        long maxOutstanding = Math.max(200, 2L * rate);
        boolean overloaded = false;
        while (issued < total) {
            if (issued - answers.sum() > maxOutstanding) {
                overloaded = true;
                System.out.printf(
                        "  overloaded: %,d publishes unanswered after %.1f s; stopped sending at %,d of %,d%n",
                        issued - answers.sum(), (System.nanoTime() - t0) / 1e9, issued, total);
                break;
            }
            long due = Math.min(total, (System.nanoTime() - t0) / interval + 1);
            while (issued < due) {
                String tenant = mainHooks.get(issued % mainHooks.size())[1];
                client.publish(tenant, ApiClient.eventBody("bench.latency", issued))
                        .onComplete(ar -> {
                            // counted first: nothing below may leave an answer uncounted
                            answers.increment();
                            String id = ar.succeeded() ? ar.result().eventId() : null;
                            if (ar.succeeded() && ar.result().status() == 202 && id != null) {
                                returned.put(id, new long[] {
                                    ar.result().sentNanos(), ar.result().doneNanos()
                                });
                            } else {
                                failed.increment();
                                if (failures.size() < 5) {
                                    failures.add(
                                            ar.succeeded()
                                                    ? ar.result().status() + " "
                                                            + ar.result().body()
                                                    : String.valueOf(ar.cause()));
                                }
                            }
                        });
                issued++;
            }
            LockSupport.parkNanos(200_000);
        }
        double sendSeconds = (System.nanoTime() - t0) / 1e9;
        int sent = issued;
        boolean allAnswered = await("answers", () -> answers.sum() >= sent, answers::sum, sent, Duration.ofSeconds(60));
        Map<String, Long> arrivals = receivers.arrivals();
        boolean allArrived = await(
                "arrivals",
                () -> arrivals.size() >= returned.size(),
                () -> arrivals.size(),
                returned.size(),
                Duration.ofSeconds(30));
        Sampler.Usage usage = sampler.finish();
        List<Double> sinceReturn = new ArrayList<>();
        List<Double> sinceSend = new ArrayList<>();
        List<Double> publish = new ArrayList<>();
        int early = 0;
        int missing = 0;
        for (Map.Entry<String, long[]> e : returned.entrySet()) {
            long[] t = e.getValue();
            publish.add((t[1] - t[0]) / 1e6);
            Long arrived = arrivals.get(e.getKey());
            if (arrived == null) {
                missing++;
                continue;
            }
            double ms = (arrived - t[1]) / 1e6;
            if (ms < 0) {
                early++;
                ms = 0;
            }
            sinceReturn.add(ms);
            sinceSend.add((arrived - t[0]) / 1e6);
        }
        sinceReturn.sort(null);
        sinceSend.sort(null);
        publish.sort(null);
        describe(usage);
        System.out.printf(
                "  sent %,d in %.1f s (%,.0f/s); answered %,d, failed %,d; %d delivered before the 202 came back"
                        + " (counted as 0 ms); publish p99 %.1f ms; publish-start to arrival p99 %.1f ms%n",
                sent,
                sendSeconds,
                sent / sendSeconds,
                answers.sum(),
                failed.sum(),
                early,
                pct(publish, 99),
                pct(sinceSend, 99));
        failures.forEach(f -> System.out.println("  failed publish: " + f));
        boolean complete = !overloaded && allAnswered && allArrived && missing == 0 && failed.sum() == 0;
        String note = complete
                ? ""
                : (overloaded ? "overloaded: the service did not accept " + rate + " events/s; " : "") + missing
                        + " not delivered, " + failed.sum() + " publishes failed";
        double target = rate <= 500 ? 50 : 150;
        String at = " @" + rate + "/s";
        report.add(new Figure(
                "latency." + rate + ".p50",
                "latency p50" + at,
                pct(sinceReturn, 50),
                "ms",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                complete,
                note));
        report.add(new Figure(
                "latency." + rate + ".p95",
                "latency p95" + at,
                pct(sinceReturn, 95),
                "ms",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                complete,
                note));
        report.add(new Figure(
                "latency." + rate + ".p99",
                "latency p99" + at,
                pct(sinceReturn, 99),
                "ms",
                Double.NaN,
                "",
                rate <= 500 || rate >= 2000 ? target : Double.NaN,
                Goal.AT_MOST,
                complete,
                note));
        report.add(new Figure(
                "latency." + rate + ".max",
                "latency max" + at,
                pct(sinceReturn, 100),
                "ms",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                complete,
                note));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("sent", sent);
        d.put("overloaded", overloaded);
        d.put("sendSeconds", sendSeconds);
        d.put("failed", failed.sum());
        d.put("missing", missing);
        d.put("deliveredBefore202", early);
        d.put("publishMs", Map.of("p50", pct(publish, 50), "p99", pct(publish, 99), "max", pct(publish, 100)));
        d.put(
                "publishStartToArrivalMs",
                Map.of("p50", pct(sinceSend, 50), "p99", pct(sinceSend, 99), "max", pct(sinceSend, 100)));
        report.detail("latency." + rate, details(usage, d));
    }

    // 4 -------------------------------------------------------------------------------------------------------------

    private void fanout(ServiceProcess svc, ApiClient client) throws Exception {
        section("4. fan-out: one event to " + count(o.fanout()) + " webhooks (3 times)");
        List<Double> times = new ArrayList<>();
        List<Double> publishMs = new ArrayList<>();
        boolean complete = true;
        for (int rep = 0; rep < 3; rep++) {
            db.truncateQueue();
            receivers.reset(false);
            ApiClient.Answer a = client.publish("bench-fanout", ApiClient.eventBody("bench.fanout", rep))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            if (a.status() != 202) {
                throw new IllegalStateException("fan-out publish answered " + a.status() + ": " + a.body());
            }
            boolean done = await(
                    "fan-out",
                    () -> receivers.received() >= o.fanout(),
                    receivers::received,
                    o.fanout(),
                    Duration.ofSeconds(60));
            complete &= done;
            double seconds = (receivers.lastNanos() - a.doneNanos()) / 1e9;
            times.add(seconds);
            publishMs.add((a.doneNanos() - a.sentNanos()) / 1e6);
            System.out.printf(
                    "  run %d: publish took %.0f ms (inserts %,d deliveries); all received %.3f s after it "
                            + "returned%n",
                    rep + 1, publishMs.get(rep), o.fanout(), seconds);
        }
        List<Double> sorted = new ArrayList<>(times);
        sorted.sort(null);
        double median = sorted.get(1);
        double limit = limitRate();
        report.add(new Figure(
                "fanout",
                "fan-out to " + count(o.fanout()) + " webhooks (median of 3)",
                median,
                "s",
                Double.isNaN(limit) ? Double.NaN : o.fanout() / limit,
                limitSource(),
                Double.NaN,
                Goal.NONE,
                complete,
                "from the publish's 202 to the last arrival"));
        report.detail("fanout", Map.of("seconds", times, "publishMs", publishMs));
    }

    // 5 -------------------------------------------------------------------------------------------------------------

    private void scale(ServiceProcess svc) throws Exception {
        int due = o.scaleDue();
        section("5. scale with table size: drain " + count(due) + " due deliveries with " + count(due)
                + " rows in the table, then with " + count(o.backlog()) + " (best of 3 each)");
        List<Double> small = new ArrayList<>();
        List<String> smallPlan = null;
        db.truncateQueue();
        drainLoaded(svc, "warm", due, mainHooks, false); // warm-up, not counted: both cases run on a warm JIT
        for (int rep = 0; rep < 3; rep++) {
            db.truncateQueue();
            Drained d = drainLoaded(svc, "s" + rep, due, mainHooks, rep == 0);
            small.add(d.rate);
            if (d.plan != null) {
                smallPlan = d.plan;
            }
        }
        db.truncateQueue();
        System.out.printf(
                "  loading %,d old rows (85 %% succeeded, 5 %% failed, 10 %% retries due in 1-28 h)...%n",
                o.backlog() - due);
        long t = System.nanoTime();
        db.loadBackground(o.backlog() - due, mainHooks);
        System.out.printf("  loaded and vacuumed in %.1f s%n", (System.nanoTime() - t) / 1e9);
        List<Double> large = new ArrayList<>();
        List<String> largePlan = null;
        for (int rep = 0; rep < 3; rep++) {
            Drained d = drainLoaded(svc, "l" + rep, due, mainHooks, rep == 0);
            large.add(d.rate);
            if (d.plan != null) {
                largePlan = d.plan;
            }
        }
        System.out.println("  CLAIM plan with " + count(o.backlog()) + " rows:");
        largePlan.forEach(line -> System.out.println("    " + line));
        double smallBest = small.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        double largeBest = large.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        report.add(
                rateFigure("scale.small", "drain, " + count(due) + " rows in table", smallBest, Double.NaN, true, ""));
        report.add(rateFigure(
                "scale.large", "drain, " + count(o.backlog()) + " rows in table", largeBest, Double.NaN, true, ""));
        report.add(new Figure(
                "scale.ratio",
                "  " + count(o.backlog()) + "-row / " + count(due) + "-row drain",
                100 * largeBest / smallBest,
                "%",
                Double.NaN,
                "",
                90,
                Goal.AT_LEAST,
                true,
                ""));
        report.add(new Figure(
                "scale.claimSmall",
                "  CLAIM of 100 (EXPLAIN ANALYZE), " + count(due) + "-row table",
                executionMs(smallPlan),
                "ms",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                true,
                buffers(smallPlan)));
        report.add(new Figure(
                "scale.claimLarge",
                "  CLAIM of 100 (EXPLAIN ANALYZE), " + count(o.backlog()) + "-row table",
                executionMs(largePlan),
                "ms",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                true,
                buffers(largePlan)));
        boolean onIndex = String.join("\n", largePlan).contains("delivery_due");
        System.out.println("  CLAIM uses the partial index delivery_due: " + (onIndex ? "yes" : "NO"));
        report.detail(
                "scale",
                Map.of(
                        "smallRates",
                        small,
                        "largeRates",
                        large,
                        "planSmall",
                        smallPlan,
                        "planLarge",
                        largePlan,
                        "claimUsesPartialIndex",
                        onIndex));
    }

    private record Drained(double rate, boolean complete, List<String> plan) {}

    private static double executionMs(List<String> plan) {
        for (String line : plan == null ? List.<String>of() : plan) {
            if (line.trim().startsWith("Execution Time:")) {
                return Double.parseDouble(line.replaceAll("[^0-9.]", ""));
            }
        }
        return Double.NaN;
    }

    /** The buffers of the claim's index scan: what finding 100 due rows cost. */
    private static String buffers(List<String> plan) {
        for (int i = 0; plan != null && i < plan.size(); i++) {
            if (plan.get(i).contains("Index Scan using delivery_due")) {
                for (int j = i + 1; j < Math.min(plan.size(), i + 4); j++) {
                    if (plan.get(j).contains("Buffers:")) {
                        return "delivery_due scan " + plan.get(j).trim();
                    }
                }
            }
        }
        return "";
    }

    /** Loads n due rows in one transaction (dispatcher running) and measures first to last arrival. */
    private Drained drainLoaded(ServiceProcess svc, String tag, int n, List<String[]> hooks, boolean explain)
            throws Exception {
        receivers.reset(false);
        Sampler sampler = new Sampler(db, svc);
        List<String> plan = db.loadDue(tag, n, hooks, "bench.scale", explain);
        boolean done =
                await("drain " + tag, () -> receivers.received() >= n, receivers::received, n, Duration.ofSeconds(60));
        Sampler.Usage usage = sampler.finish();
        double rate = receivers.received() / ((receivers.lastNanos() - receivers.firstNanos()) / 1e9);
        long stuck = notSucceeded("dlv_" + tag + "_%", Duration.ofSeconds(10));
        System.out.printf(
                "  %s: %,d in %.2f s = %,.0f/s%s; %s%n",
                tag,
                receivers.received(),
                (receivers.lastNanos() - receivers.firstNanos()) / 1e9,
                rate,
                stuck > 0 ? " (" + stuck + " stuck)" : "",
                usage.cpuLine());
        report.detail("scale." + tag, details(usage, Map.of("rate", rate, "stuck", stuck)));
        return new Drained(rate, done && stuck == 0, plan);
    }

    // 6 -------------------------------------------------------------------------------------------------------------

    private void slow(ServiceProcess svc) throws Exception {
        int n = o.slowDeliveries();
        int healthy = 0; // loadDue puts delivery g on webhook g mod 20; the first SLOW_BAD are the slow ones
        for (int g = 0; g < n; g++) {
            healthy += g % SLOW_HOOKS >= SLOW_BAD ? 1 : 0;
        }
        section("6. slow endpoints: " + count(n) + " deliveries over " + SLOW_HOOKS + " webhooks, " + SLOW_BAD
                + " of them answering after " + Receivers.SLOW_MILLIS / 1000 + " s");
        Duration cap = Duration.ofSeconds(o.slowCapSeconds());
        double fast = slowRun(svc, "fast", n, healthy, Duration.ofSeconds(60), false, 0);
        double withSlow = slowRun(svc, "slow", n, healthy, cap, true, 0);
        // the same, behind a backlog of the slow webhooks due before every other delivery: what the others lose when
        // the oldest due deliveries all belong to endpoints that cannot take more
        double behindBacklog = slowRun(svc, "backlog", n, healthy, cap, true, o.slowBacklog());
        report.add(rateFigure("slow.allFast", "healthy webhooks' rate, all fast", fast, Double.NaN, true, ""));
        report.add(rateFigure("slow.withSlow", "healthy webhooks' rate, 10 % slow", withSlow, Double.NaN, true, ""));
        report.add(healthyShare("slow.ratio", "  healthy with slow / all fast", withSlow, fast));
        report.add(rateFigure(
                "slow.behindBacklog",
                "healthy webhooks' rate, 10 % slow with " + count(o.slowBacklog()) + " due before",
                behindBacklog,
                Double.NaN,
                true,
                ""));
        report.add(
                healthyShare("slow.backlogRatio", "  healthy behind a slow backlog / all fast", behindBacklog, fast));
        for (int i = 0; i < SLOW_BAD; i++) {
            receivers.setSlow(SLOW_BASE + i, false);
        }
    }

    /** The healthy webhooks' rate as a share of their all-fast rate: at least 80 % (a slow endpoint costs ≤ 20 %). */
    private static Figure healthyShare(String name, String label, double rate, double allFast) {
        return new Figure(name, label, 100 * rate / allFast, "%", Double.NaN, "", 80, Goal.AT_LEAST, true, "");
    }

    /** @param backlog deliveries of the slow webhooks queued first, due before the others */
    private double slowRun(
            ServiceProcess svc, String tag, int n, int healthy, Duration cap, boolean slowOn, int backlog)
            throws Exception {
        db.truncateQueue();
        for (int i = 0; i < SLOW_BAD; i++) {
            receivers.setSlow(SLOW_BASE + i, slowOn);
        }
        if (backlog > 0) {
            db.loadDue("slowbl" + tag, backlog, slowHooks.subList(0, SLOW_BAD), "bench.slow", false);
            // a backlog that has been there a while, as autovacuum leaves it: the run measures the claims behind it,
            // not the cleaning up after loading it
            db.exec("VACUUM ANALYZE event", "VACUUM ANALYZE delivery", "CHECKPOINT");
        }
        receivers.reset(false);
        Sampler sampler = new Sampler(db, svc);
        db.loadDue("slow" + tag, n, slowHooks, "bench.slow", false);
        long t0 = System.nanoTime();
        boolean done = await(
                "healthy (" + tag + ")",
                () -> receivers.received(Receivers.GROUP_HEALTHY) >= healthy,
                () -> receivers.received(Receivers.GROUP_HEALTHY),
                healthy,
                cap);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long got = receivers.received(Receivers.GROUP_HEALTHY);
        Sampler.Usage usage = sampler.finish();
        // where the replica's claims are at the end: in flight (claimed, sent or waiting for their webhook's turn)
        List<String> slowIds =
                slowHooks.subList(0, SLOW_BAD).stream().map(h -> h[0]).toList();
        long heldSlow = db.count("SELECT count(*) FROM delivery WHERE status = 'in_flight' AND webhook_id IN ('"
                + String.join("','", slowIds) + "')");
        long heldHealthy =
                db.count("SELECT count(*) FROM delivery WHERE status = 'in_flight' AND id LIKE 'dlv_slow" + tag + "_%'")
                        - heldSlow;
        double rate = got / seconds;
        System.out.printf(
                "  %s: healthy %,d of %,d in %.1f s = %,.0f/s%s; slow webhooks got %,d; claims held at the end:"
                        + " %,d for the slow webhooks, %,d for the healthy ones%n",
                tag,
                got,
                healthy,
                seconds,
                rate,
                done ? "" : " (time cap)",
                receivers.received(Receivers.GROUP_SLOW),
                heldSlow,
                heldHealthy);
        describe(usage);
        report.detail(
                "slow." + tag,
                details(
                        usage,
                        Map.of(
                                "healthyReceived",
                                got,
                                "healthyExpected",
                                healthy,
                                "seconds",
                                seconds,
                                "slowReceived",
                                receivers.received(Receivers.GROUP_SLOW),
                                "complete",
                                done,
                                "inFlightAtEndSlowWebhooks",
                                heldSlow,
                                "inFlightAtEndHealthyWebhooks",
                                heldHealthy)));
        return rate;
    }

    // 7 -------------------------------------------------------------------------------------------------------------

    private void replicas() throws Exception {
        section("7. two replicas on one database: both start, then drain a backlog of " + count(o.drain()));
        db.truncateQueue();
        BenchDb.Load backlog = load("rep", o.drain());
        ServiceProcess a = start("service-3", true, false);
        ServiceProcess b = start("service-4", true, false);
        a.awaitReady(Duration.ofSeconds(90));
        b.awaitReady(Duration.ofSeconds(90));
        System.out.printf(
                "  service-3 (pid %d) and service-4 (pid %d) ready in %.1f s and %.1f s (started together)%n",
                a.pid(), b.pid(), a.startupSeconds(), b.startupSeconds());
        receivers.reset(false);
        Sampler sampler = new Sampler(db, a, b);
        backlog.commit();
        backlog.close();
        boolean done = await(
                "drain (2 replicas)",
                () -> receivers.received() >= o.drain(),
                receivers::received,
                o.drain(),
                Duration.ofSeconds(o.quick() ? 45 : 90));
        Sampler.Usage usage = sampler.finish();
        long received = receivers.received();
        double rate = received / ((receivers.lastNanos() - receivers.firstNanos()) / 1e9);
        long stuck = notSucceeded("dlv_rep_%", Duration.ofSeconds(10));
        long doubles = receivers.doubleSends();
        long byA = db.count("SELECT count(*) FROM delivery_attempt WHERE delivery_id LIKE 'dlv_rep_%'");
        describe(usage);
        System.out.printf(
                "  %,d received, %d double sends, %d not succeeded, %,d attempt rows%n", received, doubles, stuck, byA);
        report.add(rateFigure(
                "replicas",
                "drain rate, 2 replicas",
                rate,
                Double.NaN,
                done && stuck == 0,
                ((done ? "" : "time cap reached; ")
                                + (stuck > 0
                                        ? stuck + " not recorded as succeeded 10 s after the " + "last arrival"
                                        : ""))
                        .trim()));
        report.add(new Figure(
                "replicas.recorded",
                "  recorded as succeeded 10 s after last arrival",
                100.0 * (received - stuck) / o.drain(),
                "%",
                Double.NaN,
                "",
                100,
                Goal.AT_LEAST,
                true,
                ""));
        report.add(new Figure(
                "replicas.ratio",
                "  2 replicas / 1 replica",
                rate / drainRate,
                "x",
                Double.NaN,
                "",
                1.5,
                Goal.AT_LEAST,
                done,
                ""));
        report.add(new Figure(
                "replicas.doubleSends",
                "  double sends seen by the receivers",
                doubles,
                "count",
                Double.NaN,
                "",
                0,
                Goal.AT_MOST,
                done,
                ""));
        report.detail(
                "replicas",
                details(
                        usage,
                        Map.of(
                                "received",
                                received,
                                "stuck",
                                stuck,
                                "doubleSends",
                                doubles,
                                "startupSeconds",
                                List.of(a.startupSeconds(), b.startupSeconds()))));
        report.add(new Figure(
                "startup.pair",
                "start-up to ready, 2 replicas at once (slower)",
                Math.max(a.startupSeconds(), b.startupSeconds()),
                "s",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                true,
                ""));
        stopAll(a, b);
    }

    // 8 -------------------------------------------------------------------------------------------------------------

    private void processFigures() {
        double peak = 0;
        Map<String, Double> rss = new LinkedHashMap<>();
        for (ServiceProcess s : ran) {
            double mb = s.peakRssMb();
            rss.put(s.name, mb);
            peak = Math.max(peak, mb);
        }
        report.add(new Figure(
                "rss",
                "peak RSS of a replica (VmHWM, max)",
                peak,
                "MB",
                Double.NaN,
                "",
                350,
                Goal.AT_MOST,
                true,
                rss.toString()));
        report.detail("peakRssMb", rss);
        report.detail(
                "receivers",
                Map.of(
                        "totalReceived",
                        receivers.totalReceived(),
                        "doubleSends",
                        receivers.totalDoubleSends(),
                        "badSignatures",
                        receivers.totalBadSignatures(),
                        "limitRequests",
                        receivers.limitRequests()));
        report.add(new Figure(
                "badSignatures",
                "deliveries failing signature checks (whole run)",
                receivers.totalBadSignatures(),
                "count",
                Double.NaN,
                "",
                0,
                Goal.AT_MOST,
                true,
                ""));
    }

    private void finish() throws Exception {
        report.header(
                "limits",
                Map.of(
                        "receiverRequestsPerSecond",
                        Double.isNaN(receiverLimit) ? "skipped" : receiverLimit,
                        "postgresClaimRecordDeliveriesPerSecond",
                        Double.isNaN(postgresLimit) ? "skipped" : postgresLimit,
                        "postgresPublishesPerSecond",
                        Double.isNaN(publishLimit) ? "skipped" : publishLimit));
        String table = report.table();
        System.out.println();
        System.out.println("== results (" + (o.quick() ? "quick run" : "full run") + "), machine limits: receiver "
                + Report.fmt(receiverLimit) + " req/s (wrk), PostgreSQL claim+record " + Report.fmt(postgresLimit)
                + " deliveries/s, publish " + Report.fmt(publishLimit) + " tx/s (pgbench)");
        System.out.print(table);
        Files.writeString(out.resolve("results.txt"), table);
        report.writeJson(out.resolve("results.json"));
        System.out.println(
                "written: target/bench/results.json, target/bench/results.txt, service logs in target/bench/");
        if (receivers.totalBadSignatures() > 0) {
            System.out.println("FAILED: " + receivers.totalBadSignatures() + " deliveries did not verify");
        }
    }

    // helpers -------------------------------------------------------------------------------------------------------

    private ServiceProcess start(String name, boolean dispatcher) throws Exception {
        return start(name, dispatcher, true);
    }

    private ServiceProcess start(String name, boolean dispatcher, boolean await) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", BenchDb.USER);
        env.put("QUARKUS_DATASOURCE_PASSWORD", "");
        env.put("QUARKUS_OIDC_PUBLIC_KEY", jwt.publicKeyBase64());
        env.put("QUARKUS_OIDC_TOKEN_ISSUER", Jwt.ISSUER);
        env.put("HOOKLINE_SECRETS_MASTER_KEY", masterKey);
        env.put("HOOKLINE_DELIVERY_ALLOW_PRIVATE_NETWORKS", "true");
        env.put("HOOKLINE_DISPATCHER_ENABLED", Boolean.toString(dispatcher));
        // one tenant publishes thousands of events a second here: the per-tenant API limit is not what is measured
        env.put("HOOKLINE_RATE_LIMIT_ENABLED", "false");
        ServiceProcess s = ServiceProcess.start(name, project, out, o.serviceJvm(), o.jfr(), env);
        ran.add(s);
        if (await) {
            s.awaitReady(Duration.ofSeconds(90));
            System.out.printf("  %s (pid %d, port %d) ready in %.2f s%n", name, s.pid(), s.port, s.startupSeconds());
        }
        return s;
    }

    /**
     * A measurement that left deliveries in flight (sent but their results not recorded, or claims still held) would
     * weigh on the next one: the replica is then replaced by a fresh one, and the queue emptied.
     */
    private ServiceProcess restartIfUnhealthy(ServiceProcess svc) throws Exception {
        String sql = "SELECT count(*) FROM delivery WHERE status = 'in_flight'";
        long deadline = System.nanoTime() + 10_000_000_000L; // the recorder's last batches
        long inFlight = db.count(sql);
        while (inFlight > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            inFlight = db.count(sql);
        }
        if (inFlight == 0) {
            return svc;
        }
        System.out.printf(
                "  %,d deliveries still in flight after the measurement: replacing the replica so the next "
                        + "measurement starts clean%n",
                inFlight);
        report.detail("restarts." + svc.name, Map.of("inFlightLeft", inFlight));
        stop(svc);
        db.truncateQueue();
        return start(svc.name + "r", true);
    }

    private void stopAll(ServiceProcess... all) throws InterruptedException {
        List<Thread> stoppers = new ArrayList<>();
        for (ServiceProcess s : all) {
            Thread t = new Thread(() -> stop(s));
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            t.join();
        }
    }

    private void stop(ServiceProcess s) {
        double rss = s.peakRssMb();
        long t = System.nanoTime();
        s.stop(GRACE);
        System.out.printf("  %s stopped in %.1f s (peak RSS %.0f MB)%n", s.name, (System.nanoTime() - t) / 1e9, rss);
    }

    /** Deliveries of the given id pattern not yet succeeded, after waiting up to {@code max} for them. */
    private long notSucceeded(String idPattern, Duration max) throws Exception {
        String sql = "SELECT count(*) FROM delivery WHERE id LIKE '" + idPattern + "' AND status <> 'succeeded'";
        long deadline = System.nanoTime() + max.toNanos();
        long left = db.count(sql);
        while (left > 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            left = db.count(sql);
        }
        return left;
    }

    /** Waits for a condition, printing progress every 5 s; false when {@code max} ran out first. */
    private static boolean await(String what, BooleanSupplier done, LongSupplier progress, long of, Duration max)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + max.toNanos();
        long nextPrint = start + 5_000_000_000L;
        while (!done.getAsBoolean()) {
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

    private Figure rateFigure(String key, String label, double value, double target, boolean complete, String note) {
        return new Figure(
                key,
                label,
                value,
                "deliv/s",
                limitRate(),
                limitSource(),
                target,
                Double.isNaN(target) ? Goal.NONE : Goal.AT_LEAST,
                complete,
                note);
    }

    private double limitRate() {
        if (Double.isNaN(receiverLimit)) {
            return postgresLimit;
        }
        return Double.isNaN(postgresLimit) ? receiverLimit : Math.min(receiverLimit, postgresLimit);
    }

    private String limitSource() {
        if (Double.isNaN(receiverLimit) && Double.isNaN(postgresLimit)) {
            return "none measured";
        }
        return !Double.isNaN(receiverLimit) && (Double.isNaN(postgresLimit) || receiverLimit <= postgresLimit)
                ? "receiver (wrk)"
                : "postgres claim+record (pgbench)";
    }

    private static Map<String, Object> details(Sampler.Usage u, Map<String, Object> extra) {
        Map<String, Object> m = new LinkedHashMap<>(extra);
        m.put("windowSeconds", u.seconds());
        m.put(
                "cpuCoreSeconds",
                Map.of(
                        "service",
                        u.serviceCpu(),
                        "postgres",
                        u.postgresCpu(),
                        "bench",
                        u.benchCpu(),
                        "other",
                        u.otherCpu(),
                        "machineBusy",
                        u.machineBusy(),
                        "machineCapacity",
                        u.machineCapacity()));
        m.put("cpu", u.cpuLine());
        m.put("postgresWaits", u.waits());
        m.put("postgresWaitSummary", u.waitLine(6));
        m.put("postgresObjectLocks", u.objectLocks());
        m.put("serviceThreadsCoreSeconds", u.serviceThreads());
        m.put("slowestStatementsMs", u.slowestStatementsMs());
        return m;
    }

    private static void describe(Sampler.Usage u) {
        for (String line : Sampler.describe(u)) {
            System.out.println("  " + line);
        }
    }

    private static double pct(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static String count(long n) {
        if (n >= 1_000_000 && n % 1_000_000 == 0) {
            return (n / 1_000_000) + "M";
        }
        if (n >= 1_000 && n % 1_000 == 0) {
            return (n / 1_000) + "k";
        }
        return String.format("%,d", n);
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }
}
