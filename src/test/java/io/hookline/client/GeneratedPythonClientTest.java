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
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Python client that openapi-generator (python) makes from openapi/openapi.yaml during the build is imported and
 * driven by src/test/clients/python/walkthrough.py against the service. Needs python3 with pydantic 2, urllib3 2 and
 * python-dateutil (the client's requirements.txt).
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class GeneratedPythonClientTest {
    static final String WHY = "to check the generated Python client (target/generated-clients/python; it needs "
            + "pydantic 2, urllib3 2 and python-dateutil)";
    static final Map<String, String> PATH = Map.of("PYTHONPATH", "target/generated-clients/python");
    /** What the user published: a dict with nested objects, an array, a boolean and a null. */
    static final String DATA = """
            {"transactionId":"txn_1","amount":4200,"settled":false,
             "customer":{"id":"cus_7","tags":["vip","eu"],"address":{"city":"Lyon"}},
             "lines":[{"sku":"A-1","qty":2}],"coupon":null}""";

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
    void the_python_client_imports() {
        String version = Commands.run(
                WHY,
                Duration.ofMinutes(1),
                PATH,
                "python3",
                "-c",
                "import hookline_client; print(hookline_client.__version__)");
        assertTrue(!version.isBlank(), "the package has a version");
    }

    @Test
    void the_python_client_publishes_nested_data_unchanged_revokes_and_reads_a_404() throws Exception {
        String[] webhook = api.createWebhookWithSecret(receiver.url());
        Map<String, String> env =
                Map.of("PYTHONPATH", PATH.get("PYTHONPATH"), "HOOKLINE_TOKEN", Tokens.forTenant(api.tenant));
        String out = Commands.run(
                WHY,
                Duration.ofMinutes(1),
                env,
                "python3",
                "src/test/clients/python/walkthrough.py",
                root.getScheme() + "://" + root.getAuthority(),
                webhook[0],
                DATA);
        JsonNode result = json.readTree(out);

        assertEquals(1, result.get("deliveries").asInt(), out);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.count() == 1);
        Receiver.Request sent = receiver.requests().get(0);
        assertEquals(
                json.readTree(DATA),
                json.readTree(sent.body()).get("data"),
                "the receiver gets exactly the dict the Python client was given");
        assertEquals(result.get("eventId").asText(), sent.header("webhook-id"));
        assertTrue(Verify.standardWebhooks(webhook[1], sent), "Standard Webhooks signature");

        assertEquals(204, result.get("revokeStatus").asInt(), out);
        assertEquals(404, result.at("/notFound/status").asInt(), out);
        assertEquals(404, result.at("/notFound/problem/status").asInt(), out);
        assertTrue(result.at("/notFound/problem/detail").isTextual(), out);
    }
}
