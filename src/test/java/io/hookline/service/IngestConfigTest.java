package io.hookline.service;

import io.hookline.testsupport.ConfigProblems;
import io.hookline.testsupport.UnitTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up rules of the hookline.ingest.* keys (constraints on HooklineConfig.Ingest). */
@UnitTest
class IngestConfigTest {

    @Test
    void the_defaults_and_a_public_url_are_accepted() {
        assertEquals(List.of(), ConfigProblems.of(Map.of()));
        assertEquals(
                Duration.ofSeconds(300), ConfigProblems.valid(Map.of()).ingest().tolerance());
        assertEquals(
                List.of(), ConfigProblems.of(Map.of("hookline.ingest.public-url", "https://hooks.example.com/base")));
    }

    @Test
    void each_broken_value_is_refused_naming_its_key() {
        refused("tolerance", "0s");
        refused("tolerance", "2d");
        refused("sweep-interval", "500ms");
        refused("log-retention", "0s");
        for (String url :
                List.of("hooks.example.com", "ftp://hooks.example.com", "https://h.example/?a=1", "https://")) {
            refused("public-url", url);
        }
    }

    private static void refused(String key, String value) {
        List<String> problems = ConfigProblems.of(Map.of("hookline.ingest." + key, value));
        assertEquals(1, problems.size(), key + "=" + value + ": " + problems);
        assertTrue(problems.get(0).startsWith("hookline.ingest." + key), problems.get(0));
    }
}
