package io.hookline.api;

import io.hookline.testsupport.UnitTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed document passes a well-known OpenAPI linter: Redocly CLI's {@code recommended} rules (configured in
 * openapi/redocly.yaml), with no error and no warning. Redocly runs on Node.js from npm, pinned here; without node and
 * npx on the machine this test fails and says so rather than passing.
 */
@UnitTest
class OpenApiLintTest {
    static final String REDOCLY = "@redocly/cli@2.77.0";

    @Test
    void the_committed_document_passes_redocly_recommended_without_errors_or_warnings()
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("redocly", ".log");
        Process lint;
        try {
            lint = new ProcessBuilder(List.of(
                            "npx",
                            "--yes",
                            REDOCLY,
                            "lint",
                            "--format",
                            "stylish",
                            "--config",
                            "openapi/redocly.yaml",
                            "openapi/openapi.yaml"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot run npx (Node.js and npm are needed to lint openapi/openapi.yaml with " + REDOCLY + "): "
                            + e.getMessage(),
                    e);
        }
        assertTrue(lint.waitFor(5, TimeUnit.MINUTES), "redocly lint did not finish within 5 minutes");
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, lint.exitValue(), "redocly lint failed:\n" + output);
        // errors fail the exit code; warnings are summed up as "You have N warning(s)."
        assertFalse(output.matches("(?s).*You have \\d+ warnings?.*"), "redocly lint reports warnings:\n" + output);
    }
}
