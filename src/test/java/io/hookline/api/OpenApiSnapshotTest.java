package io.hookline.api;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * openapi/openapi.yaml is the committed API contract that clients are generated from. It must be exactly what the
 * code serves. After an intended API change: {@code ./mvnw verify -DupdateOpenApi=true} rewrites it.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class OpenApiSnapshotTest {
    static final Path COMMITTED = Path.of("openapi", "openapi.yaml");

    @Test
    void the_committed_document_is_what_the_code_generates() throws IOException {
        String served = given().queryParam("format", "yaml")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        if (Boolean.getBoolean("updateOpenApi")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, served);
        }
        assertTrue(Files.exists(COMMITTED), "openapi/openapi.yaml is missing; run ./mvnw verify -DupdateOpenApi=true");
        assertEquals(
                Files.readString(COMMITTED),
                served,
                "openapi/openapi.yaml differs from the API the code serves; if the change is intended, run "
                        + "./mvnw verify -DupdateOpenApi=true and commit the file");
    }

    @Test
    void every_operation_has_an_operation_id_and_a_tag() {
        String served = given().queryParam("format", "yaml")
                .get("/q/openapi")
                .then()
                .extract()
                .asString();
        Matcher ops = Pattern.compile("(?m)^    (get|post|patch|delete|put):\\n((?:      .*\\n)+)")
                .matcher(served);
        int count = 0;
        while (ops.find()) {
            String op = ops.group(2);
            assertTrue(op.contains("operationId: "), "operation without operationId:\n" + op);
            assertTrue(op.contains("tags:"), "operation without tag:\n" + op);
            count++;
        }
        assertTrue(count >= 6, "found only " + count + " operations");
    }
}
