package io.hookline.send;

import io.hookline.store.ErrorClass;
import io.hookline.testsupport.Receiver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sender as production configures it: private networks not allowed. */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class SenderTest {
    @Inject
    Vertx vertx;

    Receiver receiver;
    Sender production;

    @BeforeEach
    void start() {
        receiver = Receiver.start();
        production = new Sender(vertx, Duration.ofSeconds(2), false, 4);
    }

    @AfterEach
    void stop() {
        production.close();
        receiver.close();
    }

    private SendResult send(Sender sender, String url) throws Exception {
        return sender.send(url, Map.of("Content-Type", "application/json"), "{}".getBytes())
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void private_loopback_link_local_and_metadata_targets_are_refused_before_connecting() throws Exception {
        int port = receiver.port();
        for (String url : new String[] {
            "https://127.0.0.1:" + port + "/hook",
            "https://localhost:" + port + "/hook",
            "https://[::1]:" + port + "/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://10.0.0.1/",
            "https://192.168.1.1/",
            "https://[fd00::1]/",
            "https://0.0.0.0:" + port + "/"
        }) {
            SendResult result = send(production, url);
            assertEquals(ErrorClass.BLOCKED_ADDRESS, result.errorClass(), url);
            assertNull(result.status(), url);
        }
        SendResult http = send(production, receiver.url());
        assertEquals(ErrorClass.BLOCKED_ADDRESS, http.errorClass());
        assertTrue(http.errorMessage().contains("http"));
        assertEquals(0, receiver.count());
    }

    @Test
    void with_private_networks_allowed_the_same_target_is_reached() throws Exception {
        Sender local = new Sender(vertx, Duration.ofSeconds(2), true, 4);
        try {
            SendResult result = send(local, receiver.url());
            assertTrue(result.ok(), result.toString());
            assertEquals(200, result.status());
            assertEquals(1, receiver.count());
        } finally {
            local.close();
        }
    }

    @Test
    void an_unresolvable_host_is_a_dns_failure() throws Exception {
        SendResult result = send(production, "https://no-such-host.invalid/hook");
        assertEquals(ErrorClass.DNS, result.errorClass());
    }

    @Test
    void a_refused_connection_is_a_connection_failure_and_the_body_kept_is_at_most_4_kib() throws Exception {
        Sender local = new Sender(vertx, Duration.ofSeconds(2), true, 4);
        try {
            int port = receiver.port();
            receiver.close();
            assertEquals(
                    ErrorClass.CONNECTION,
                    send(local, "http://127.0.0.1:" + port + "/hook").errorClass());
            try (Receiver big = Receiver.start()) {
                big.answering(n -> Receiver.Answer.status(200).body("x".repeat(100_000)));
                SendResult result = send(local, big.url());
                assertTrue(result.ok());
                assertEquals(Sender.BODY_LIMIT, result.body().length());
            }
        } finally {
            local.close();
        }
    }
}
