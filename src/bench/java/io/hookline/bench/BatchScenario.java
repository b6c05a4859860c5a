package io.hookline.bench;

import io.hookline.bench.Report.Figure;
import io.hookline.bench.Report.Goal;
import io.vertx.core.buffer.Buffer;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Issue 12, item 6, batch row: {@code bench.n} events (about 1 KiB each, as in e2e) published with
 * {@code POST /v1/events/batch} in batches of {@code bench.batchSize} (500) by {@code bench.batchClients} (4)
 * concurrent clients, each batch for one tenant of the e2e set (1 webhook each, the bench receivers, one port each),
 * in turn; publishing and delivery overlap. Timed from the first request to the last delivery received. Three rounds
 * on the same replica: the first is what a replica that has just started does when run alone
 * ({@code bench.only=batch}: its JIT compiler takes half the replica's CPU; the cold-replica target is measured by
 * {@code cold}); the third, on the replica the first two warmed, carries the target, 10,000 events/s end to end, as
 * the other throughput figures are taken warm (the second is printed, not reported).
 */
final class BatchScenario {
    static final double TARGET = 10_000;

    private final Options o;
    private final BenchDb db;
    private final Receivers receivers;
    private final Report report;
    private final List<String[]> hooks;
    private final ServiceProcess svc;

    BatchScenario(Options o, BenchDb db, Receivers receivers, Report report, List<String[]> hooks, ServiceProcess svc) {
        this.o = o;
        this.db = db;
        this.receivers = receivers;
        this.report = report;
        this.hooks = hooks;
        this.svc = svc;
    }

    /** One round's figures. */
    private record Round(
            double rate,
            double publishRate,
            double cpuPer1000,
            double cpuBound,
            boolean complete,
            boolean published,
            boolean delivered,
            String note) {}

    void run(ApiClient client) throws Exception {
        int n = o.events();
        int size = Integer.getInteger("bench.batchSize", 500);
        int clients = Integer.getInteger("bench.batchClients", 4);
        int batches = (n + size - 1) / size;
        System.out.printf(
                "%n== batch: %,d events in %,d batches of %d (POST /v1/events/batch), %d clients, 1 webhook each,"
                        + " three rounds on the same replica%n",
                n, batches, size, clients);
        Map<String, Object> details = new LinkedHashMap<>();
        Round first = round("first", client, n, size, clients, details);
        round("second", client, n, size, clients, details);
        Round warm = round("third", client, n, size, clients, details);
        report.add(new Figure(
                "batch",
                "batch publish end to end, " + n + " events (1 webhook each)",
                warm.rate(),
                "events/s",
                Double.NaN,
                "",
                TARGET,
                Goal.AT_LEAST,
                warm.complete(),
                warm.note() + "; third round on the same replica"));
        report.add(new Figure(
                "batch.publish",
                "  publish rate (POST /v1/events/batch)",
                warm.publishRate(),
                "events/s",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                warm.published(),
                ""));
        report.add(new Figure(
                "batch.cpuBound",
                "  at most, at its CPU per event (all processes)",
                warm.cpuBound(),
                "events/s",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                warm.delivered(),
                "cores / (service + postgres + bench core-s per event)"));
        report.add(new Figure(
                "batch.first",
                "  first round (a just-started replica when run alone)",
                first.rate(),
                "events/s",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                first.complete(),
                first.note()));
        report.add(new Figure(
                "cpu.batch",
                "service CPU per 1,000 events (batch publish+deliver)",
                warm.cpuPer1000(),
                "core-s",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                warm.delivered(),
                "third round"));
        report.detail("batch", details);
    }

    private Round round(String tag, ApiClient client, int n, int size, int clients, Map<String, Object> details)
            throws Exception {
        int batches = (n + size - 1) / size;
        db.truncateQueue();
        receivers.reset(false);
        AtomicLong next = new AtomicLong();
        LongAdder accepted = new LongAdder();
        LongAdder failedEvents = new LongAdder();
        LongAdder answered = new LongAdder();
        AtomicLong lastAnswer = new AtomicLong();
        Map<Integer, Long> failures = new ConcurrentHashMap<>();
        Sampler sampler = new Sampler(db, svc);
        System.out.printf("  %s round starts at %s%n", tag, LocalTime.now());
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            publishNext(client, next, batches, size, n, accepted, failedEvents, answered, lastAnswer, failures);
        }
        boolean published = waitFor(() -> answered.sum() >= batches, o.quick() ? 60 : 120);
        long deliveredAtPublishEnd = receivers.received();
        double publishSeconds = (lastAnswer.get() - t0) / 1e9;
        boolean delivered = waitFor(() -> receivers.received() >= accepted.sum(), 90);
        Sampler.Usage usage = sampler.finish();
        long received = receivers.received();
        double seconds = (receivers.lastNanos() - t0) / 1e9;
        double rate = received / seconds;
        double cpuPer1000 = usage.serviceCpu() / (Math.max(1, received) / 1000.0);
        System.out.printf(
                "  %s round: published %,d events (%,d refused: %s) in %.2f s = %,.0f events/s (%,d delivered by"
                        + " then); delivered %,d, last at %.2f s = %,.0f events/s end to end (target %,.0f: %.2fx);"
                        + " service CPU %.1f core-s, %.3f per 1,000%n",
                tag,
                accepted.sum(),
                failedEvents.sum(),
                failures,
                publishSeconds,
                accepted.sum() / publishSeconds,
                deliveredAtPublishEnd,
                received,
                seconds,
                rate,
                TARGET,
                rate / TARGET,
                usage.serviceCpu(),
                cpuPer1000);
        for (String line : Sampler.describe(usage)) {
            System.out.println("    " + line);
        }
        double thousands = Math.max(1, received) / 1000.0;
        double jit = usage.serviceThreads().entrySet().stream()
                .filter(e -> e.getKey().startsWith("C") && e.getKey().contains("Compiler"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
        double allPer1000 = (usage.serviceCpu() + usage.postgresCpu() + usage.benchCpu()) / thousands;
        // publishing, delivering, PostgreSQL and the bench's own clients and receivers share the machine: at this
        // much CPU per event, all of its cores give at most this rate
        double cpuBound = Runtime.getRuntime().availableProcessors() / (allPer1000 / 1000.0);
        System.out.printf(
                "    CPU per 1,000 events: service %.3f core-s (JIT compilers %.3f), postgres %.3f, bench %.3f: %.3f"
                        + " in all, so %d cores give at most %,.0f events/s%n",
                usage.serviceCpu() / thousands,
                jit / thousands,
                usage.postgresCpu() / thousands,
                usage.benchCpu() / thousands,
                allPer1000,
                Runtime.getRuntime().availableProcessors(),
                cpuBound);
        boolean complete = published && delivered && failedEvents.sum() == 0;
        String note = "batches of " + size + ", " + clients + " clients"
                + (complete ? "" : "; incomplete: " + failedEvents.sum() + " refused " + failures);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("published", accepted.sum());
        d.put("refused", failedEvents.sum());
        d.put("publishSeconds", publishSeconds);
        d.put("deliveredAtPublishEnd", deliveredAtPublishEnd);
        d.put("received", received);
        d.put("seconds", seconds);
        d.put("rate", rate);
        d.put("serviceCpuPer1000", cpuPer1000);
        d.put("jitCpuPer1000", jit / thousands);
        d.put("postgresCpuPer1000", usage.postgresCpu() / thousands);
        d.put("benchCpuPer1000", usage.benchCpu() / thousands);
        d.put("cpuBoundEventsPerSecond", cpuBound);
        d.put("cpu", usage.cpuLine());
        d.put("serviceThreadsCoreSeconds", usage.serviceThreads());
        d.put("postgresWaitSummary", usage.waitLine(6));
        d.put("doubleSends", receivers.doubleSends());
        details.put(tag, d);
        return new Round(
                rate, accepted.sum() / publishSeconds, cpuPer1000, cpuBound, complete, published, delivered, note);
    }

    private void publishNext(
            ApiClient client,
            AtomicLong next,
            int batches,
            int size,
            int n,
            LongAdder accepted,
            LongAdder failedEvents,
            LongAdder answered,
            AtomicLong lastAnswer,
            Map<Integer, Long> failures) {
        long b = next.getAndIncrement();
        if (b >= batches) {
            return;
        }
        long from = b * size;
        int count = (int) Math.min(size, n - from);
        Buffer body = Buffer.buffer("{\"events\":[");
        for (int i = 0; i < count; i++) {
            body.appendString(i == 0 ? "" : ",").appendBuffer(ApiClient.eventBody("bench.batch", from + i));
        }
        body.appendString("]}");
        String tenant = hooks.get((int) (b % hooks.size()))[1];
        client.post("/v1/events/batch", tenant, body).onComplete(ar -> {
            if (ar.succeeded() && ar.result().status() == 200) {
                // every result is 202 or a 4xx; count the 202s without parsing the whole answer
                int ok = count(ar.result().body(), "\"status\":202");
                accepted.add(ok);
                if (ok < count) {
                    failedEvents.add(count - ok);
                    failures.merge(200, (long) (count - ok), Long::sum);
                }
            } else {
                failedEvents.add(count);
                failures.merge(ar.succeeded() ? ar.result().status() : -1, (long) count, Long::sum);
            }
            lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
            answered.increment();
            publishNext(client, next, batches, size, n, accepted, failedEvents, answered, lastAnswer, failures);
        });
    }

    private static int count(String text, String what) {
        int found = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) {
            found++;
        }
        return found;
    }

    private static boolean waitFor(BooleanSupplier done, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return true;
    }
}
