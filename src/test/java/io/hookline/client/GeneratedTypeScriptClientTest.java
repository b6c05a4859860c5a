package io.hookline.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookline.testsupport.Api;
import io.hookline.testsupport.Commands;
import io.hookline.testsupport.Receiver;
import io.hookline.testsupport.Tokens;
import io.hookline.testsupport.Verify;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TypeScript client that openapi-generator (typescript-fetch) makes from openapi/openapi.yaml during the build
 * is type-checked with tsc in strict mode, together with src/test/clients/typescript/walkthrough.ts, which then runs
 * under node against the service. Needs node and npm on the PATH; TypeScript itself comes from the npm registry.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class GeneratedTypeScriptClientTest {
    /** Pinned so that a new TypeScript release cannot turn the build red on its own. */
    static final String TYPESCRIPT = "5.9.3";

    static final Path TOOLS = Path.of("target/typescript-tools");
    static final Path TSC = TOOLS.resolve("node_modules/typescript/bin/tsc");
    static final Path COMPILED = Path.of("target/typescript-client-check/src/test/clients/typescript/walkthrough.js");
    static final String WHY = "to check the generated TypeScript client (target/generated-clients/typescript)";

    @TestHTTPResource("/")
    URI root;

    final ObjectMapper json = new ObjectMapper();
    final Api api = Api.newTenant();
    final Receiver receiver = Receiver.start();

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void the_typescript_client_type_checks_and_publishes_nested_data_revokes_and_reads_a_404() throws Exception {
        installTypeScript();
        Commands.run(
                WHY,
                Duration.ofMinutes(3),
                Map.of(),
                "node",
                TSC.toString(),
                "-p",
                "src/test/clients/typescript/tsconfig.json");

        String[] webhook = api.createWebhookWithSecret(receiver.url());
        String out = Commands.run(
                WHY,
                Duration.ofMinutes(1),
                Map.of("HOOKLINE_TOKEN", Tokens.forTenant(api.tenant)),
                "node",
                COMPILED.toString(),
                root.getScheme() + "://" + root.getAuthority(),
                webhook[0]);
        JsonNode result = json.readTree(out);

        assertEquals(1, result.get("deliveries").asInt(), out);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.count() == 1);
        Receiver.Request sent = receiver.requests().get(0);
        JsonNode data = result.get("sent");
        assertTrue(data.get("note").isObject() && data.get("lines").isArray(), "the script sends nested data");
        assertEquals(data, json.readTree(sent.body()).get("data"), "the receiver gets exactly the data sent");
        assertEquals(result.get("eventId").asText(), sent.header("webhook-id"));
        assertTrue(Verify.standardWebhooks(webhook[1], sent), "Standard Webhooks signature");

        assertEquals(204, result.get("revokeStatus").asInt(), out);
        assertEquals(404, result.at("/notFound/status").asInt(), out);
        assertEquals(404, result.at("/notFound/problem/status").asInt(), out);
        assertTrue(result.at("/notFound/problem/detail").isTextual(), out);
    }

    /** npm install into target/, once per clean build (about 5 s). */
    private static void installTypeScript() throws Exception {
        Path installed = TOOLS.resolve("node_modules/typescript/package.json");
        if (Files.exists(installed) && Files.readString(installed).contains("\"version\": \"" + TYPESCRIPT + "\"")) {
            return;
        }
        Commands.run(
                "to install TypeScript " + TYPESCRIPT + " " + WHY,
                Duration.ofMinutes(3),
                Map.of(),
                "npm",
                "install",
                "--no-save",
                "--no-package-lock",
                "--no-audit",
                "--no-fund",
                "--prefix",
                TOOLS.toString(),
                "typescript@" + TYPESCRIPT);
    }
}
