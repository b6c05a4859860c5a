package io.hookline.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.hookline.testsupport.UnitTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Contract-testing tools and generated clients' docs build requests from the document's examples: every parameter,
 * header and schema property has one, and each validates against its schema; so does the object the property
 * examples of each component add up to.
 */
@UnitTest
class OpenApiExamplesTest {
    static final String BASE = "https://examples.hookline.test/openapi.json";
    final JsonNode document;
    final SchemaRegistry registry;
    final List<String> problems = new ArrayList<>();

    OpenApiExamplesTest() throws IOException {
        document = new YAMLMapper().readTree(Files.readString(Path.of("openapi", "openapi.yaml")));
        String json = document.toString();
        registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), b -> b.schemas(Map.of(BASE, json)));
    }

    @Test
    void every_parameter_header_and_property_has_an_example_that_validates() {
        document.path("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
                    int i = 0;
                    for (JsonNode p : op.getValue().path("parameters")) {
                        String where = "/paths/" + escape(path.getKey()) + "/" + op.getKey() + "/parameters/" + i++;
                        if (p.has("$ref")) {
                            // a shared parameter (components/parameters): checked where it is defined
                            where = p.get("$ref").asText().substring(1);
                            p = document.at(where);
                        }
                        if (!p.has("example")) {
                            problems.add(where + " (" + p.path("name").asText() + ") has no example");
                        } else {
                            validate(where + "/schema", p.get("example"), where);
                        }
                    }
                }));
        document.path("components").path("headers").fields().forEachRemaining(h -> {
            String where = "/components/headers/" + h.getKey();
            if (!h.getValue().has("example")) {
                problems.add(where + " has no example");
            } else {
                validate(where + "/schema", h.getValue().get("example"), where);
            }
        });
        document.path("components").path("schemas").fields().forEachRemaining(s -> {
            String where = "/components/schemas/" + s.getKey();
            if (!s.getValue().has("properties")) {
                if (!s.getValue().has("enum") && !s.getValue().has("examples")) {
                    problems.add(where + " has neither properties, enum nor examples");
                }
                return;
            }
            ObjectNode whole = JsonNodeFactory.instance.objectNode();
            s.getValue().get("properties").fields().forEachRemaining(prop -> {
                JsonNode example = exampleOf(prop.getValue());
                if (example == null) {
                    problems.add(where + "/properties/" + prop.getKey() + " has no example");
                } else {
                    validate(where + "/properties/" + prop.getKey(), example, where + "." + prop.getKey());
                    whole.set(prop.getKey(), example);
                }
            });
            validate(where, whole, where + " (its property examples together)");
        });
        assertEquals(List.of(), problems);
    }

    /** A property's own example, or, for a reference or an array of references, one made from the target's. */
    private JsonNode exampleOf(JsonNode schema) {
        if (schema.has("examples") && schema.get("examples").size() > 0) {
            return schema.get("examples").get(0);
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        if (schema.has("$ref")) {
            return componentExample(schema.get("$ref").asText());
        }
        if (schema.has("items") && schema.get("items").has("$ref")) {
            JsonNode item = componentExample(schema.get("items").get("$ref").asText());
            return item == null ? null : JsonNodeFactory.instance.arrayNode().add(item);
        }
        return null;
    }

    private JsonNode componentExample(String ref) {
        JsonNode target = document.at(ref.substring(1));
        if (!target.has("properties")) {
            return exampleOf(target);
        }
        ObjectNode whole = JsonNodeFactory.instance.objectNode();
        target.get("properties").fields().forEachRemaining(p -> {
            JsonNode example = exampleOf(p.getValue());
            if (example != null) {
                whole.set(p.getKey(), example);
            }
        });
        return whole;
    }

    private void validate(String pointer, JsonNode example, String where) {
        var errors = registry.getSchema(SchemaLocation.of(BASE + "#" + pointer)).validate(example);
        if (!errors.isEmpty()) {
            problems.add(where + ": example " + example + " does not validate: " + errors);
        }
    }

    private static String escape(String part) {
        return part.replace("~", "~0").replace("/", "~1");
    }
}
