package io.hookline.service;

import io.hookline.testsupport.Api;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.Receiver;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Receivers get {@code data} as the publisher wrote it: numbers of any size and precision, key order, unicode escapes
 * and all. And the publish body is read strictly: no coercion, no duplicate keys, nothing after the object.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class PayloadExactnessTest {
    final Api api = Api.newTenant();
    final Receiver receiver = Receiver.start();

    @AfterEach
    void close() {
        receiver.close();
    }

    @Test
    void the_receiver_gets_the_data_bytes_the_publisher_sent() {
        api.createWebhook(receiver.url());
        List<String> payloads = List.of(
                "{\"precise\":1.00000000000000000000001,\"huge\":1e400,\"tiny\":1e-400,\"int\":123456789012345678901234567890}",
                "{\"z\":1,\"a\":2,\"m\":{\"y\":[3,2,1],\"b\":null}}",
                "{\"escaped\":\"caf\\u00e9 \\ud83d\\ude00 \\u0000 \\\"q\\\" \\/\",\"raw\":\"café 😀\"}",
                "[1, 2.50, -0.0, true, false, null, \"s\"]",
                "\"just a string\"",
                "-12.5E+3",
                "false");
        for (String data : payloads) {
            api.request()
                    .body("{\"type\":\"exact.check\",\"data\":" + data + "}")
                    .post("/v1/events")
                    .then()
                    .statusCode(202);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.count() == payloads.size());
        List<String> received = receiver.requests().stream()
                .map(r -> new String(r.body(), StandardCharsets.UTF_8))
                .map(body -> body.substring(body.indexOf(",\"data\":") + 8, body.length() - 1))
                .sorted()
                .toList();
        assertEquals(payloads.stream().sorted().toList(), received);
    }

    @Test
    void whitespace_around_data_is_not_part_of_it_and_data_may_come_first() {
        api.createWebhook(receiver.url());
        api.request()
                .body("{ \"data\" :\n\t{ \"a\" : 1 }\n , \"type\":\"exact.check\" }")
                .post("/v1/events")
                .then()
                .statusCode(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.count() == 1);
        String body = new String(receiver.requests().get(0).body(), StandardCharsets.UTF_8);
        assertEquals("{ \"a\" : 1 }}", body.substring(body.indexOf(",\"data\":") + 8));
    }

    @Test
    void the_body_is_read_strictly_and_a_refused_one_writes_nothing() {
        api.createWebhook(receiver.url());
        api.request()
                .body("{\"type\":5,\"data\":{}}")
                .post("/v1/events")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("type"))
                .body("errors[0].message", equalTo("must be a string"));
        api.request()
                .body("{\"type\":\"a.b\",\"data\":{},\"id\":42}")
                .post("/v1/events")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("id"));
        api.request()
                .body("{\"type\":\"a.b\",\"data\":{\"x\":1,\"x\":2}}")
                .post("/v1/events")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("data.x"));
        api.request()
                .body("{\"type\":\"a.b\",\"type\":\"c.d\",\"data\":{}}")
                .post("/v1/events")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("type"));
        api.request()
                .body("{\"type\":\"a.b\",\"data\":{},\"extra\":1}")
                .post("/v1/events")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("extra"));
        api.request()
                .body("{\"type\":\"a.b\",\"data\":{}} trailing")
                .post("/v1/events")
                .then()
                .statusCode(400)
                .body("detail", containsString("line 1, column 26"));
        api.request()
                .body("{\"type\":\"a.b\",\"data\":{}}{}")
                .post("/v1/events")
                .then()
                .statusCode(400)
                .body("detail", containsString("after the JSON object"));
        api.request()
                .body("{\"type\":\"a.b\",\n\"data\":{\"a\":tru}}")
                .post("/v1/events")
                .then()
                .statusCode(400)
                .body("detail", containsString("line 2"));
        api.request()
                .body("[{\"type\":\"a.b\",\"data\":{}}]")
                .post("/v1/events")
                .then()
                .statusCode(400);
        api.request()
                .body("{\"type\":\"a.b\",\"data\":{},\"id\":\"key\\u0000\"}")
                .post("/v1/events")
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("id"));
        api.request()
                .body("{\"type\":\"a.b\",\"data\":NaN}")
                .post("/v1/events")
                .then()
                .statusCode(400);
        assertEquals(0, Db.count("select count(*) from event where tenant = ?", api.tenant));
    }
}
