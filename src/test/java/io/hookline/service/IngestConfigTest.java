package io.hookline.service;

import io.hookline.config.HooklineConfig;
import io.hookline.testsupport.UnitTest;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up rules of hookline.ingest.*: a broken value stops the service and the message names the key. */
@UnitTest
class IngestConfigTest {

    static HooklineConfig.Ingest ingest(Duration tolerance, Duration sweep, Duration retention, String publicUrl) {
        return new HooklineConfig.Ingest() {
            @Override
            public Duration tolerance() {
                return tolerance;
            }

            @Override
            public Optional<String> publicUrl() {
                return Optional.ofNullable(publicUrl);
            }

            @Override
            public Duration sweepInterval() {
                return sweep;
            }

            @Override
            public Duration logRetention() {
                return retention;
            }
        };
    }

    static void refused(HooklineConfig.Ingest config, String key) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> IngestPublisher.validate(config));
        assertTrue(e.getMessage().startsWith(key), e.getMessage());
    }

    @Test
    void the_defaults_and_a_public_url_are_accepted() {
        assertDoesNotThrow(() -> IngestPublisher.validate(
                ingest(Duration.ofSeconds(300), Duration.ofSeconds(10), Duration.ofDays(30), null)));
        assertDoesNotThrow(() -> IngestPublisher.validate(ingest(
                Duration.ofSeconds(300), Duration.ofSeconds(10), Duration.ofDays(30), "https://hooks.example.com")));
    }

    @Test
    void each_broken_value_is_refused_naming_its_key() {
        Duration day = Duration.ofDays(1);
        refused(ingest(Duration.ZERO, Duration.ofSeconds(10), day, null), "hookline.ingest.tolerance");
        refused(ingest(Duration.ofDays(2), Duration.ofSeconds(10), day, null), "hookline.ingest.tolerance");
        refused(ingest(Duration.ofSeconds(300), Duration.ofMillis(500), day, null), "hookline.ingest.sweep-interval");
        refused(
                ingest(Duration.ofSeconds(300), Duration.ofSeconds(10), Duration.ZERO, null),
                "hookline.ingest.log-retention");
        for (String url :
                new String[] {"hooks.example.com", "ftp://hooks.example.com", "https://h.example/?a=1", "https://"}) {
            refused(ingest(Duration.ofSeconds(300), Duration.ofSeconds(10), day, url), "hookline.ingest.public-url");
        }
    }
}
