package io.hookline.bench;

import io.hookline.bench.Report.Figure;
import io.hookline.bench.Report.Goal;
import io.vertx.core.buffer.Buffer;
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
 * concurrent clients, each batch for one tenant of the e2e set (1 webhook each, the bench receivers); timed from the
 * first request to the last delivery received. Target: 10,000 events/s end to end.
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

    void run(ApiClient client) throws Exception {
        int n = o.events();
        int size = Integer.getInteger("bench.batchSize", 500);
        int clients = Integer.getInteger("bench.batchClients", 4);
        int batches = (n + size - 1) / size;
        System.out.printf(
                "%n== batch: %,d events in %,d batches of %d (POST /v1/events/batch), %d clients, 1 webhook each%n",
                n, batches, size, clients);
        db.truncateQueue();
        receivers.reset(false);
        AtomicLong next = new AtomicLong();
        LongAdder accepted = new LongAdder();
        LongAdder failedEvents = new LongAdder();
        LongAdder answered = new LongAdder();
        AtomicLong lastAnswer = new AtomicLong();
        Map<Integer, Long> failures = new ConcurrentHashMap<>();
        Sampler sampler = new Sampler(db, svc);
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            publishNext(client, next, batches, size, n, accepted, failedEvents, answered, lastAnswer, failures);
        }
        boolean published = waitFor(() -> answered.sum() >= batches, o.quick() ? 60 : 120);
        double publishSeconds = (lastAnswer.get() - t0) / 1e9;
        boolean delivered = waitFor(() -> receivers.received() >= accepted.sum(), 90);
        Sampler.Usage usage = sampler.finish();
        long received = receivers.received();
        double seconds = (receivers.lastNanos() - t0) / 1e9;
        double rate = received / seconds;
        System.out.printf(
                "  published %,d events (%,d refused: %s) in %.1f s = %,.0f events/s; delivered %,d, last at %.1f s ="
                        + " %,.0f events/s end to end (target %,.0f: %.2fx); service CPU %.1f core-s%n",
                accepted.sum(),
                failedEvents.sum(),
                failures,
                publishSeconds,
                accepted.sum() / publishSeconds,
                received,
                seconds,
                rate,
                TARGET,
                rate / TARGET,
                usage.serviceCpu());
        boolean complete = published && delivered && failedEvents.sum() == 0;
        String note = "batches of " + size + ", " + clients + " clients"
                + (complete ? "" : "; incomplete: " + failedEvents.sum() + " refused " + failures);
        report.add(new Figure(
                "batch",
                "batch publish end to end, " + n + " events (1 webhook each)",
                rate,
                "events/s",
                Double.NaN,
                "",
                TARGET,
                Goal.AT_LEAST,
                complete,
                note));
        report.add(new Figure(
                "batch.publish",
                "  publish rate (POST /v1/events/batch)",
                accepted.sum() / publishSeconds,
                "events/s",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                published,
                ""));
        report.add(new Figure(
                "cpu.batch",
                "service CPU per 1,000 events (batch publish+deliver)",
                usage.serviceCpu() / (Math.max(1, received) / 1000.0),
                "core-s",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                delivered,
                ""));
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
