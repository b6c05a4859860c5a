package io.hookline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The graphile-worker peer: {@code src/bench/node/graphile-peer.mjs} installed with {@code npm ci} into
 * {@code target/bench/peer} (graphile-worker pinned by the committed package-lock.json) and run as a child process with
 * node, in its own database on the same PostgreSQL. The bench drives it over stdin ({@code prepare}, {@code run},
 * {@code quit}) and reads one JSON object per line from its stdout; its stderr goes to {@code target/bench/peer.log}.
 * Like the replicas, it dies with the bench even on SIGKILL (parent-death signal).
 */
final class GraphilePeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "graphile-peer.mjs");

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<JsonNode> lines;
    final String version;
    final String nodeVersion;

    private GraphilePeer(Process process, BlockingQueue<JsonNode> lines, JsonNode ready) {
        this.process = process;
        this.lines = lines;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.version = ready.path("graphileWorker").asText();
        this.nodeVersion = ready.path("node").asText();
    }

    /**
     * Copies the peer into {@code out/peer} and installs its dependencies ({@code npm ci}, skipped when the pinned
     * version is already there).
     *
     * @return null when installed, else why the peer cannot run (no node or npm, npm failed)
     */
    static String install(Path project, Path out) {
        Path source = project.resolve("src/bench/node");
        Path dir = out.resolve("peer");
        try {
            String node = run(List.of("node", "--version"), dir.getParent(), Duration.ofSeconds(20), null);
            if (node == null) {
                return "node is not installed (needed for the graphile-worker peer)";
            }
            int major = Integer.parseInt(node.trim().replaceFirst("^v(\\d+).*$", "$1"));
            if (major < 18) {
                return "node " + node.trim() + " is too old (the peer needs 18 or later)";
            }
            Files.createDirectories(dir);
            boolean changed = false;
            for (String f : FILES) {
                Path from = source.resolve(f);
                Path to = dir.resolve(f);
                if (!Files.isRegularFile(from)) {
                    return "missing " + project.relativize(from);
                }
                changed |= !Files.exists(to) || Files.mismatch(from, to) != -1;
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
            if (!changed && Files.isRegularFile(dir.resolve("node_modules/graphile-worker/package.json"))) {
                return null;
            }
            System.out.println("  installing the peer: npm ci in target/bench/peer (log: target/bench/peer-npm.log)");
            Path log = out.resolve("peer-npm.log");
            String done = run(
                    List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"),
                    dir,
                    Duration.ofMinutes(5),
                    log);
            if (done == null) {
                return "npm ci failed or npm is not installed (see target/bench/peer-npm.log)";
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "could not install the peer: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while installing the peer";
        }
    }

    /** Output of a command that exited 0 in time, else null (also when the program does not exist). */
    private static String run(List<String> command, Path dir, Duration max, Path log)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null && Files.isDirectory(dir)) {
            pb.directory(dir.toFile());
        }
        if (log != null) {
            pb.redirectOutput(log.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return null; // not on the PATH
        }
        String output = log == null ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
        if (!p.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            return null;
        }
        return p.exitValue() == 0 ? output : null;
    }

    /**
     * Starts the peer over an installed {@code out/peer}; it migrates its schema (graphile_worker) in {@code database}
     * and answers ready.
     */
    static GraphilePeer start(Path out, BenchDb database, String url, String secret, Map<String, String> tuning)
            throws Exception {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            command.addAll(List.of("/usr/bin/setpriv", "--pdeathsig", "SIGKILL", "--"));
        }
        command.addAll(List.of("node", "graphile-peer.mjs"));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(out.resolve("peer").toFile())
                .redirectError(
                        ProcessBuilder.Redirect.appendTo(out.resolve("peer.log").toFile()));
        pb.environment()
                .put(
                        "DATABASE_URL",
                        "postgres://" + BenchDb.USER + "@" + BenchDb.HOST + ":" + BenchDb.PORT + "/" + database.name);
        pb.environment().put("PEER_URL", url);
        pb.environment().put("PEER_SECRET", secret);
        pb.environment().put("NO_LOG_SUCCESS", "1");
        pb.environment().put("NODE_ENV", "production");
        pb.environment().putAll(tuning);
        Process process = pb.start();
        BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            JsonNode node;
                            try {
                                node = JSON.readTree(line);
                            } catch (IOException e) {
                                continue; // not a protocol line
                            }
                            lines.add(node);
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                },
                "bench-peer-stdout");
        reader.setDaemon(true);
        reader.start();
        JsonNode ready = lines.poll(60, TimeUnit.SECONDS);
        if (ready == null || !"ready".equals(ready.path("event").asText())) {
            process.destroyForcibly();
            throw new IllegalStateException("the graphile-worker peer did not start: "
                    + (ready == null
                            ? "no answer in 60 s"
                            : ready.path("message").asText())
                    + " (see target/bench/peer.log)");
        }
        return new GraphilePeer(process, lines, ready);
    }

    long pid() {
        return process.pid();
    }

    /** Adds {@code n} jobs in bulk (workers not running); answers the "prepared" line. */
    JsonNode prepare(String tag, int n, Duration max) throws Exception {
        return call("prepare " + tag + " " + n, "prepared", max);
    }

    /** Starts the worker pool; {@link #awaitDone} reads the "done" line. */
    void startRun(String tag, int n) throws IOException {
        send("run " + tag + " " + n);
    }

    JsonNode awaitDone(Duration max) throws Exception {
        return expect("done", max);
    }

    private JsonNode call(String command, String event, Duration max) throws Exception {
        send(command);
        return expect(event, max);
    }

    private void send(String command) throws IOException {
        stdin.write(command + "\n");
        stdin.flush();
    }

    private JsonNode expect(String event, Duration max) throws InterruptedException {
        JsonNode line = lines.poll(max.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new IllegalStateException("the graphile-worker peer did not answer '" + event + "' within " + max
                    + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")")
                    + "; see target/bench/peer.log");
        }
        if (!event.equals(line.path("event").asText())) {
            throw new IllegalStateException(
                    "the graphile-worker peer answered " + line + " instead of '" + event + "'");
        }
        return line;
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                send("quit");
            }
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
