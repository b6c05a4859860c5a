package io.hookline.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs an outside program (node, npm, python3) from the project directory for the generated-client tests. A missing
 * program, a timeout or a non-zero exit fails the test with the program's output: a check that cannot run must never
 * pass silently.
 */
public final class Commands {
    private Commands() {}

    /**
     * Runs {@code command} and returns what it printed on standard output.
     *
     * @param why what the command checks, for the failure message ("to type-check the generated TypeScript client")
     */
    public static String run(String why, Duration timeout, Map<String, String> env, String... command) {
        Path out;
        Path err;
        try {
            out = Files.createTempFile("hookline-cmd", ".out");
            err = Files.createTempFile("hookline-cmd", ".err");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return fail("'" + command[0] + "' could not be started (" + e.getMessage() + "); it is needed " + why
                        + ". Install it (see clients/README.md) and run the build again.");
            }
            boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (!exited || process.exitValue() != 0) {
                fail(String.join(" ", List.of(command)) + " "
                        + (exited
                                ? "exited with " + process.exitValue()
                                : "did not finish within " + timeout.toSeconds() + " s")
                        + ", " + why
                        + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr);
            }
            return stdout;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            try {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }
}
