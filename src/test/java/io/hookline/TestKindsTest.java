package io.hookline;

import io.hookline.testsupport.UnitTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every test class says what it needs: {@code @QuarkusTest} (the service and a database), {@code @QuarkusMainTest} (the
 * application started as from its command line, for what happens at start) or {@link UnitTest} (neither), so that {@code ./mvnw test -Dgroups=unit} runs every test that can run without booting Quarkus.
 */
@UnitTest
class TestKindsTest {
    @Test
    void every_test_class_is_a_quarkus_test_or_a_unit_test() throws IOException {
        List<String> unmarked;
        try (Stream<Path> files = Files.walk(Path.of("src", "test", "java"))) {
            unmarked = files.filter(f -> f.getFileName().toString().endsWith("Test.java"))
                    .filter(f -> {
                        try {
                            String text = Files.readString(f);
                            return !text.contains("@QuarkusTest")
                                    && !text.contains("@QuarkusMainTest")
                                    && !text.contains("@UnitTest");
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .map(Path::toString)
                    .sorted()
                    .toList();
        }
        assertEquals(List.of(), unmarked, "mark these @QuarkusTest or @UnitTest");
    }
}
