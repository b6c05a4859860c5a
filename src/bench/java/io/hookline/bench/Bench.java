package io.hookline.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The delivery benchmark (issue "Performance"). Runs the production build of Hookline as child processes against the
 * machine's PostgreSQL, with local receivers that verify every signature, and prints the figures beside the
 * machine's own limits and the targets. Run it with {@code ./mvnw -Pbench verify} (see docs/BENCHMARK.md). Everything
 * it starts is stopped at the end, on Ctrl-C, or (through the parent-death signal) when it is killed; its database is
 * dropped.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) {
        int code = 1;
        Options options;
        try {
            options = Options.fromSystemProperties();
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path project = Path.of(System.getProperty("bench.project", "."))
                .toAbsolutePath()
                .normalize();
        Path out = project.resolve("target/bench");
        BenchDb db = new BenchDb(options.database(), options.analyze());
        AtomicBoolean cleaned = new AtomicBoolean();
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(2)
                .setWorkerPoolSize(4)
                .setBlockedThreadCheckInterval(10)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS));
        Runnable cleanup = () -> {
            if (cleaned.compareAndSet(false, true)) {
                ServiceProcess.stopAll();
                if (!options.keepDb()) {
                    try {
                        db.drop();
                    } catch (Exception e) {
                        System.err.println("bench: could not drop database " + db.name + ": " + e.getMessage());
                    }
                }
                vertx.close();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(cleanup, "bench-cleanup"));
        try {
            if (!Files.isRegularFile(project.resolve("target/quarkus-app/quarkus-run.jar"))) {
                throw new IllegalStateException("no production build at target/quarkus-app/quarkus-run.jar: run "
                        + "`./mvnw -Pbench verify` (it packages first)");
            }
            Files.createDirectories(out);
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            String started = LocalDateTime.now(ZoneId.systemDefault())
                    .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
            System.out.println("Hookline delivery benchmark, " + started + (options.quick() ? " (quick)" : ""));
            String pgVersion = BenchDb.ensureServer();
            db.create();
            Scenarios run = new Scenarios(
                    options,
                    project,
                    out,
                    db,
                    vertx,
                    Jwt.generate(),
                    Base64.getEncoder().encodeToString(key),
                    pgVersion,
                    started);
            run.all();
            code = run.failed() ? 3 : 0;
        } catch (Throwable t) {
            System.err.println("bench failed: " + t);
            t.printStackTrace();
        } finally {
            cleanup.run();
        }
        System.exit(code);
    }
}
