package io.hookline.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.hookline.testsupport.Db;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The closed sets exist three times: as Java enums, as CHECK constraints of the schema and as enumerations of the
 * API document. Each constraint is read from the migrated database (not from the migration files), so whatever form a
 * later migration takes, the enum and the table cannot drift apart.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class DatabaseEnumsTest {
    /** pg_get_constraintdef writes {@code col IN ('a', 'b')} as {@code (col = ANY (ARRAY['a'::text, 'b'::text]))}. */
    private static final Pattern LITERAL = Pattern.compile("'([^']*)'::text");

    private static List<String> checkValues(String table, String constraint) {
        List<List<Object>> rows = Db.query(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                        + "WHERE conrelid = ?::regclass AND conname = ? AND contype = 'c'",
                table,
                constraint);
        assertEquals(1, rows.size(), "no CHECK constraint " + constraint + " on " + table);
        Matcher m = LITERAL.matcher((String) rows.get(0).get(0));
        List<String> values = new ArrayList<>();
        while (m.find()) {
            values.add(m.group(1));
        }
        return values;
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> {
            if (!v.isNull()) {
                values.add(v.asText());
            }
        });
        return values;
    }

    private static JsonNode schemas() throws IOException {
        return new YAMLMapper()
                .readTree(Path.of("openapi", "openapi.yaml").toFile())
                .path("components")
                .path("schemas");
    }

    @Test
    void the_delivery_status_enum_holds_exactly_the_values_the_database_allows() {
        List<String> java = Arrays.stream(DeliveryStatus.values())
                .map(DeliveryStatus::value)
                .toList();
        assertEquals(sorted(checkValues("delivery", "delivery_status")), sorted(java));
    }

    @Test
    void the_error_class_enum_holds_exactly_the_values_the_database_allows() {
        List<String> java =
                Arrays.stream(ErrorClass.values()).map(ErrorClass::value).toList();
        assertEquals(sorted(checkValues("delivery_attempt", "delivery_attempt_error_class_check")), sorted(java));
    }

    @Test
    void the_api_document_lists_the_same_statuses_and_error_classes_in_the_enums_order() throws IOException {
        JsonNode schemas = schemas();
        assertEquals(
                DeliveryStatus.VALUES, strings(schemas.path("DeliveryStatus").path("enum")));
        assertEquals(
                Arrays.stream(ErrorClass.values()).map(ErrorClass::value).toList(),
                strings(schemas.path("DeliveryAttempt")
                        .path("properties")
                        .path("errorClass")
                        .path("enum")));
    }

    @Test
    void each_wire_value_reads_back_as_its_own_constant_and_nothing_else_does() {
        for (DeliveryStatus s : DeliveryStatus.values()) {
            assertEquals(s, DeliveryStatus.of(s.value()).orElseThrow());
        }
        for (ErrorClass c : ErrorClass.values()) {
            assertEquals(c, ErrorClass.of(c.value()).orElseThrow());
        }
        assertTrue(DeliveryStatus.of("PENDING").isEmpty(), "a constant's name is not its wire value");
        assertTrue(ErrorClass.of("INVALID_RESPONSE").isEmpty(), "a constant's name is not its wire value");
    }
}
