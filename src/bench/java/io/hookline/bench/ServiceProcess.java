package io.hookline.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Hookline replica: the production build ({@code target/quarkus-app/quarkus-run.jar}, prod profile) in its own JVM,
 * configured only through environment variables, as a platform runs it. Output goes to target/bench/NAME.log.
 * Start-up time is from process start to the first {@code /q/health/ready} answering 200.
 */
final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final List<ServiceProcess> LIVE = new ArrayList<>();

    final String name;
    final int port;
    private final Process process;
    private final long startNanos;
    private long readyNanos;
    private long peakRssKb = -1;

    private ServiceProcess(String name, int port, Process process, long startNanos) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.startNanos = startNanos;
    }

    /**
     * @param env the service's configuration (QUARKUS_*, HOOKLINE_*); the bench's own QUARKUS_ and HOOKLINE_
     *            variables are not passed on, so nothing from the caller's shell leaks into the measurement
     */
    static ServiceProcess start(
            String name, Path projectDir, Path outDir, List<String> jvmArgs, boolean jfr, Map<String, String> env)
            throws IOException {
        return start(name, Path.of(System.getProperty("java.home")), projectDir, outDir, jvmArgs, jfr, env);
    }

    /** As {@link #start(String, Path, Path, List, boolean, Map)}, with the JVM of {@code javaHome}. */
    static ServiceProcess start(
            String name,
            Path javaHome,
            Path projectDir,
            Path outDir,
            List<String> jvmArgs,
            boolean jfr,
            Map<String, String> env)
            throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        // the replica dies with the bench even if the bench is killed with SIGKILL (the shutdown hook cannot run then)
        if (Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            command.addAll(List.of("/usr/bin/setpriv", "--pdeathsig", "SIGKILL", "--"));
        }
        command.add(javaHome.resolve("bin/java").toString());
        command.addAll(jvmArgs);
        if (jfr) {
            command.add("-XX:StartFlightRecording=name=bench,settings=profile,dumponexit=true,filename="
                    + outDir.resolve(name + ".jfr"));
        }
        command.add("-jar");
        command.add(projectDir.resolve("target/quarkus-app/quarkus-run.jar").toString());
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(projectDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(outDir.resolve(name + ".log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("HOOKLINE_"));
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        long start = System.nanoTime();
        ServiceProcess s = new ServiceProcess(name, port, pb.start(), start);
        synchronized (LIVE) {
            LIVE.add(s);
        }
        return s;
    }

    /** Waits for readiness; fails with the tail of the log when the process exits or the time is up. */
    ServiceProcess awaitReady(Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting; see "
                        + "target/bench/" + name + ".log");
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    readyNanos = System.nanoTime();
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(name + " not ready within " + max);
    }

    long pid() {
        return process.pid();
    }

    double startupSeconds() {
        return (readyNanos - startNanos) / 1e9;
    }

    long cpuTicks() {
        return Proc.cpuTicks(process.pid());
    }

    /** Peak resident set (VmHWM) in MB, read while the process lives and remembered after it stops. */
    double peakRssMb() {
        long kb = Proc.statusKb(process.pid(), "VmHWM");
        if (kb > 0) {
            peakRssKb = kb;
        }
        return peakRssKb / 1024.0;
    }

    /** SIGTERM (graceful: the dispatcher gives back its claims, the JFR file is written), then SIGKILL after grace. */
    void stop(Duration grace) {
        peakRssMb();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        synchronized (LIVE) {
            LIVE.remove(this);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(25));
        }
    }

    /** For the shutdown hook: ends every replica still running. */
    static void stopAll() {
        List<ServiceProcess> all;
        synchronized (LIVE) {
            all = new ArrayList<>(LIVE);
        }
        for (ServiceProcess s : all) {
            s.process.destroy();
        }
        for (ServiceProcess s : all) {
            try {
                if (!s.process.waitFor(10, TimeUnit.SECONDS)) {
                    s.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                s.process.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
