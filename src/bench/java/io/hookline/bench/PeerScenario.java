package io.hookline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.bench.Report.Figure;
import io.hookline.bench.Report.Goal;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Scenario {@code peer} (issue 12, item 6, first row): one busy endpoint, Hookline against graphile-worker in the same
 * run, against the same receiver. A fresh replica drains a backlog of {@code bench.peerJobs} deliveries to ONE webhook
 * whose receiver answers 200 at once; graphile-worker (tuned: 32 concurrent jobs, local queue, batched completion,
 * keep-alive agent; see {@link GraphilePeer}) drains as many jobs, each POSTing the same signed request to the same
 * receiver endpoint with the same secret. Both backlogs are queued before the drain starts (Hookline's committed in one
 * transaction with a NOTIFY, graphile-worker's added in bulk before its workers start), and both rates are measured the
 * same way: deliveries received / (last arrival − first arrival) at the receiver, which verifies every signature. A
 * warm-up drain of {@code bench.peerWarmup} on each side comes first (not measured), then {@code bench.peerRounds}
 * measured drains alternating Hookline, graphile-worker; the best round of each side counts.
 */
final class PeerScenario {
    /** The receiver endpoint of the one webhook (port index mod the receiver ports: any port, none busy by then). */
    static final int RECEIVER_INDEX = 3000;

    static final String TENANT = "bench-peer";
    static final int CONCURRENCY = 32;
    static final int LOCAL_QUEUE = 500;
    static final int BATCH_DELAY_MS = 0;
    private static final Duration GRACE = Duration.ofSeconds(15);

    /** Starts a replica the way the other scenarios do (Scenarios' start, so its RSS is in the process figures). */
    interface Starter {
        ServiceProcess start(String name, boolean dispatcher) throws Exception;
    }

    /** One measured drain of one side. */
    record Round(
            String side,
            String tag,
            int n,
            long received,
            long badSignatures,
            long doubleSends,
            double seconds,
            double rate,
            double fromStartRate,
            double senderCpu,
            double postgresCpu,
            double machineBusyPct,
            long notRecorded,
            boolean complete,
            String note) {

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("side", side);
            m.put("tag", tag);
            m.put("n", n);
            m.put("received", received);
            m.put("badSignatures", badSignatures);
            m.put("doubleSends", doubleSends);
            m.put("firstToLastArrivalSeconds", seconds);
            m.put("rate", rate);
            m.put("rateFromStart", fromStartRate);
            m.put("senderCoreSeconds", senderCpu);
            m.put("postgresCoreSeconds", postgresCpu);
            m.put("machineBusyPercent", machineBusyPct);
            m.put("notRecordedAsDone", notRecorded);
            m.put("complete", complete);
            m.put("note", note);
            return m;
        }
    }

    private final Options o;
    private final Path project;
    private final Path out;
    private final BenchDb db;
    private final Vertx vertx;
    private final Jwt jwt;
    private final Receivers receivers;
    private final Report report;
    private final Starter starter;
    private final int jobs;
    private final int warmup;
    private final int rounds;
    private final Duration cap;

    PeerScenario(
            Options o,
            Path project,
            Path out,
            BenchDb db,
            Vertx vertx,
            Jwt jwt,
            Receivers receivers,
            Report report,
            Starter starter) {
        this.o = o;
        this.project = project;
        this.out = out;
        this.db = db;
        this.vertx = vertx;
        this.jwt = jwt;
        this.receivers = receivers;
        this.report = report;
        this.starter = starter;
        this.jobs = Options.num("bench.peerJobs", 20_000);
        this.warmup = Options.num("bench.peerWarmup", 2_000);
        this.rounds = Options.num("bench.peerRounds", o.quick() ? 1 : 3);
        // a drain at 150/s would be far below anything this figure is about; 60 s at least
        this.cap = Duration.ofSeconds(Math.max(60, jobs / 150));
    }

    void run() throws Exception {
        System.out.println();
        System.out.printf(
                "== 9. one endpoint: a backlog of %,d to ONE webhook, Hookline vs graphile-worker (concurrency %d, "
                        + "local queue %d, batched completion) against the same receiver%n",
                jobs, CONCURRENCY, LOCAL_QUEUE);
        String skip = GraphilePeer.install(project, out);
        BenchDb peerDb = new BenchDb(db.name + "_peer", false);
        ServiceProcess svc = starter.start("service-peer", true);
        GraphilePeer peer = null;
        List<Round> hookline = new ArrayList<>();
        List<Round> graphile = new ArrayList<>();
        List<Round> graphileAll = new ArrayList<>(); // with the warm-up: every request of the peer is checked
        Map<String, Object> details = new LinkedHashMap<>();
        try {
            String[] created;
            try (ApiClient client = new ApiClient(vertx, svc.port, jwt, 2)) {
                created = client.createWebhook(TENANT, receivers.url(RECEIVER_INDEX));
            }
            receivers.register(RECEIVER_INDEX, created[1], Receivers.GROUP_NORMAL);
            String[] hook = {created[0], TENANT};
            if (skip == null) {
                try {
                    peerDb.create();
                    peer = GraphilePeer.start(out, peerDb, receivers.url(RECEIVER_INDEX), created[1], tuning());
                    System.out.printf(
                            "  peer: graphile-worker %s on node %s (pid %d), database %s; log target/bench/peer.log%n",
                            peer.version, peer.nodeVersion, peer.pid(), peerDb.name);
                    details.put("graphileWorker", peer.version);
                    details.put("node", peer.nodeVersion);
                } catch (Exception e) {
                    skip = "the peer did not start: " + e.getMessage();
                }
            }
            if (skip != null) {
                System.out.println("  graphile-worker peer skipped: " + skip);
            }
            System.out.printf("  warm-up drains of %,d each (not measured)%n", warmup);
            hookline(svc, hook, "hw0", warmup);
            if (peer != null) {
                Round g = graphile(peer, peerDb, "gw0", warmup);
                graphileAll.add(g);
                if (!g.complete()) {
                    skip = "the warm-up drain did not finish: " + g.note();
                    peer.close();
                    peer = null;
                }
            }
            for (int r = 1; r <= rounds; r++) {
                hookline.add(hookline(svc, hook, "hl" + r, jobs));
                if (peer != null) {
                    Round g = graphile(peer, peerDb, "gw" + r, jobs);
                    graphile.add(g);
                    graphileAll.add(g);
                    if (!g.complete()) {
                        peer.close(); // it may still be waiting for its jobs: no further rounds on a stuck peer
                        peer = null;
                        skip = "round " + r + " did not finish: " + g.note();
                    }
                }
            }
        } finally {
            if (peer != null) {
                peer.close();
            }
            long t = System.nanoTime();
            double rss = svc.peakRssMb();
            svc.stop(GRACE);
            System.out.printf(
                    "  %s stopped in %.1f s (peak RSS %.0f MB)%n", svc.name, (System.nanoTime() - t) / 1e9, rss);
            if (!o.keepDb()) {
                try {
                    peerDb.drop();
                } catch (Exception e) {
                    System.out.println("  could not drop database " + peerDb.name + ": " + e.getMessage());
                }
            }
        }
        figures(hookline, graphile, graphileAll, skip, details);
    }

    private static Map<String, String> tuning() {
        return Map.of(
                "PEER_CONCURRENCY", Integer.toString(CONCURRENCY),
                "PEER_LOCAL_QUEUE", Integer.toString(LOCAL_QUEUE),
                "PEER_COMPLETE_BATCH_DELAY_MS", Integer.toString(BATCH_DELAY_MS),
                "PEER_POOL", Integer.toString(CONCURRENCY + 2));
    }

    /** Hookline: the backlog inserted uncommitted, then committed (with a NOTIFY) at once, as in figure 2. */
    private Round hookline(ServiceProcess svc, String[] hook, String tag, int n) throws Exception {
        db.truncateQueue();
        BenchDb.Load backlog = db.beginDue(tag, n, List.<String[]>of(hook), "bench.peer");
        receivers.reset(false);
        Sampler sampler = new Sampler(db, svc);
        long start = System.nanoTime();
        backlog.commit();
        backlog.close();
        boolean done = await(() -> receivers.received() >= n, n, "Hookline " + tag);
        Sampler.Usage usage = sampler.finish();
        long stuck = notSucceeded("dlv_" + tag + "_%");
        Round r = round(
                "hookline",
                tag,
                n,
                start,
                usage.serviceCpu(),
                usage,
                stuck,
                done,
                done ? "" : "time cap of " + cap.toSeconds() + " s reached");
        long body = db.count(
                "SELECT coalesce(avg(octet_length(body)), 0)::bigint FROM event WHERE id LIKE 'evt_" + tag + "_%'");
        print(r, "replica", " (" + usage.cpuLine() + "); ~" + body + " B bodies");
        return r;
    }

    /** graphile-worker: the jobs added in bulk with its workers stopped, then the worker pool started. */
    private Round graphile(GraphilePeer peer, BenchDb peerDb, String tag, int n) throws Exception {
        JsonNode prepared = peer.prepare(tag, n, Duration.ofMinutes(3));
        System.out.printf(
                "  graphile-worker %s: %,d jobs added in bulk in %.1f s before the workers start (not measured)%n",
                tag, prepared.path("queued").asLong(), prepared.path("addMs").asDouble() / 1000);
        receivers.reset(false);
        Sampler sampler = new Sampler(peerDb);
        long nodeTicks = Proc.cpuTicks(peer.pid());
        long start = System.nanoTime();
        peer.startRun(tag, n);
        boolean arrived = await(() -> receivers.received() >= n, n, "graphile-worker " + tag);
        Sampler.Usage usage = sampler.finish();
        double nodeCpu = (Proc.cpuTicks(peer.pid()) - nodeTicks) / Proc.HZ;
        String note = arrived ? "" : "time cap of " + cap.toSeconds() + " s reached";
        long left = -1;
        boolean done = arrived;
        try {
            JsonNode result = peer.awaitDone(Duration.ofSeconds(arrived ? 60 : 1));
            left = result.path("jobsLeft").asLong();
            if (result.path("errors").asLong() > 0) {
                note += (note.isEmpty() ? "" : "; ") + result.path("errors").asLong() + " failed attempts (retried)";
            }
            System.out.printf(
                    "  graphile-worker %s: pool started in %.0f ms, %,d ok, stopped (completions flushed) in %.0f ms, "
                            + "%,d jobs left in the table, ~%.0f B bodies%n",
                    tag,
                    result.path("startMs").asDouble(),
                    result.path("ok").asLong(),
                    result.path("stopMs").asDouble(),
                    left,
                    result.path("avgBodyBytes").asDouble());
        } catch (IllegalStateException e) {
            done = false;
            note += (note.isEmpty() ? "" : "; ") + e.getMessage();
        }
        Round r = round("graphile-worker", tag, n, start, nodeCpu, usage, left, done, note);
        print(
                r,
                "node",
                String.format(" (postgres %.2f cores)", usage.postgresCpu() / Math.max(usage.seconds(), 1e-9)));
        return r;
    }

    private Round round(
            String side,
            String tag,
            int n,
            long start,
            double senderCpu,
            Sampler.Usage usage,
            long notRecorded,
            boolean complete,
            String note) {
        long received = receivers.received();
        double seconds = (receivers.lastNanos() - receivers.firstNanos()) / 1e9;
        return new Round(
                side,
                tag,
                n,
                received,
                receivers.badSignatures(),
                receivers.doubleSends(),
                seconds,
                seconds > 0 ? received / seconds : Double.NaN,
                received / ((receivers.lastNanos() - start) / 1e9),
                senderCpu,
                usage.postgresCpu(),
                100 * usage.machineBusy() / Math.max(usage.machineCapacity(), 1e-9),
                notRecorded,
                complete && notRecorded == 0 && received >= n,
                note);
    }

    private void print(Round r, String sender, String extra) {
        System.out.printf(
                "  %s %s: %,d received (%,d verified, %d bad signatures, %d double sends) in %.2f s = %,.0f/s "
                        + "(%,.0f/s from the start); CPU per 1,000: %s %.3f, postgres %.3f core-s; machine %.0f %% busy"
                        + "%s%s%n",
                r.side(),
                r.tag(),
                r.received(),
                r.received() - r.badSignatures(),
                r.badSignatures(),
                r.doubleSends(),
                r.seconds(),
                r.rate(),
                r.fromStartRate(),
                sender,
                perThousand(r.senderCpu(), r.received()),
                perThousand(r.postgresCpu(), r.received()),
                r.machineBusyPct(),
                r.notRecorded() > 0 ? "; " + r.notRecorded() + " not recorded as done" : "",
                extra);
    }

    private static double perThousand(double cpu, long received) {
        return received == 0 ? Double.NaN : cpu / (received / 1000.0);
    }

    private static Round best(List<Round> rounds) {
        Round best = null;
        for (Round r : rounds) {
            boolean better = best == null
                    || (r.complete() && !best.complete())
                    || (r.complete() == best.complete() && r.rate() > best.rate());
            if (better) {
                best = r;
            }
        }
        return best;
    }

    private void figures(
            List<Round> hookline,
            List<Round> graphile,
            List<Round> graphileAll,
            String skip,
            Map<String, Object> details) {
        Round h = best(hookline);
        Round g = best(graphile);
        String size = String.format("%,d", jobs);
        double gRate = g == null ? Double.NaN : g.rate();
        String how = "first to last arrival at the receiver, best of " + rounds + " after a warm-up of " + warmup;
        report.add(new Figure(
                "peer.hookline",
                "one endpoint, drain of " + size + ", Hookline",
                h == null ? Double.NaN : h.rate(),
                "deliv/s",
                gRate,
                "graphile-worker tuned, same run, same receiver",
                5_000,
                Goal.AT_LEAST,
                h != null && h.complete(),
                h == null ? "no round ran" : h.complete() ? how : h.note()));
        String gNote = skip != null && g == null
                ? "skipped: " + skip
                : g == null ? "no round ran" : (g.complete() ? how : g.note()) + (skip == null ? "" : "; " + skip);
        report.add(new Figure(
                "peer.graphile",
                "  graphile-worker tuned, same run" + (g == null ? " SKIPPED" : ""),
                gRate,
                "deliv/s",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                g != null && g.complete(),
                gNote));
        report.add(new Figure(
                "peer.ratio",
                "  Hookline / graphile-worker",
                h == null || g == null ? Double.NaN : h.rate() / g.rate(),
                "x",
                Double.NaN,
                "",
                1.1,
                Goal.AT_LEAST,
                h != null && g != null && h.complete() && g.complete(),
                g == null ? gNote : ""));
        report.add(new Figure(
                "peer.cpu.hookline",
                "  Hookline replica CPU per 1,000",
                h == null ? Double.NaN : perThousand(h.senderCpu(), h.received()),
                "core-s",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                h != null && h.complete(),
                "utime+stime of the replica from the commit to the last arrival"));
        report.add(new Figure(
                "peer.cpu.graphile",
                "  graphile-worker node CPU per 1,000",
                g == null ? Double.NaN : perThousand(g.senderCpu(), g.received()),
                "core-s",
                Double.NaN,
                "",
                Double.NaN,
                Goal.NONE,
                g != null && g.complete(),
                g == null ? gNote : "utime+stime of the node process from the start of its pool to the last arrival"));
        long verified = graphileAll.stream()
                .mapToLong(r -> r.received() - r.badSignatures())
                .sum();
        long peerBad = graphileAll.stream().mapToLong(Round::badSignatures).sum();
        long peerReceived = graphileAll.stream().mapToLong(Round::received).sum();
        if (!graphileAll.isEmpty()) {
            report.add(new Figure(
                    "peer.verified",
                    "  graphile-worker requests verified",
                    verified,
                    "count",
                    Double.NaN,
                    "",
                    Double.NaN,
                    Goal.NONE,
                    peerBad == 0,
                    "of " + peerReceived + " received in all its rounds (warm-up included); " + peerBad
                            + " did not verify"));
        }
        details.put("jobs", jobs);
        details.put("warmup", warmup);
        details.put("rounds", rounds);
        details.put("measure", how);
        details.put(
                "graphileTuning",
                Map.of(
                        "concurrentJobs",
                        CONCURRENCY,
                        "localQueueSize",
                        LOCAL_QUEUE,
                        "completeJobBatchDelay",
                        BATCH_DELAY_MS,
                        "failJobBatchDelay",
                        BATCH_DELAY_MS,
                        "maxPoolSize",
                        CONCURRENCY + 2,
                        "httpAgent",
                        "keepAlive, maxSockets " + CONCURRENCY));
        details.put("skipped", skip == null ? false : skip);
        details.put("hooklineRounds", hookline.stream().map(Round::json).toList());
        details.put("graphileRounds", graphile.stream().map(Round::json).toList());
        report.detail("peer", details);
    }

    private long notSucceeded(String idPattern) throws Exception {
        String sql = "SELECT count(*) FROM delivery WHERE id LIKE '" + idPattern + "' AND status <> 'succeeded'";
        long deadline = System.nanoTime() + 10_000_000_000L;
        long left = db.count(sql);
        while (left > 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            left = db.count(sql);
        }
        return left;
    }

    private boolean await(BooleanSupplier done, long of, String what) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + cap.toNanos();
        long nextPrint = start + 5_000_000_000L;
        while (!done.getAsBoolean()) {
            long now = System.nanoTime();
            if (now > deadline) {
                System.out.printf(
                        "  %s: time cap of %d s reached at %,d of %,d%n",
                        what, cap.toSeconds(), receivers.received(), of);
                return false;
            }
            if (now > nextPrint) {
                System.out.printf(
                        "  %s: %,d of %,d after %.0f s%n", what, receivers.received(), of, (now - start) / 1e9);
                nextPrint += 5_000_000_000L;
            }
            Thread.sleep(2);
        }
        return true;
    }
}
