package io.hookline.config;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application itself refuses a configuration that breaks a rule: {@link ConfigRules} is registered with Quarkus'
 * runtime configuration (META-INF/services), so the start stops before anything runs and names every broken key,
 * of both mappings. (The rules one by one: HooklineConfigTest and the other *ConfigTest classes.)
 */
@QuarkusMainTest
@TestProfile(ConfigRefusedAtStartTest.Broken.class)
class ConfigRefusedAtStartTest {

    public static class Broken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hookline.dispatcher.batch-size", "5000", "hookline.portal.accent-color", "red");
        }
    }

    @Test
    @Launch(
            value = {},
            exitCode = 1)
    void the_start_stops_and_names_every_broken_key(LaunchResult result) {
        String output = result.getOutput() + "\n" + result.getErrorOutput();
        assertTrue(
                output.contains("hookline.dispatcher.batch-size must be between 1 and 1000 (was 5000)"),
                "no line for the batch size in:\n" + output);
        assertTrue(
                output.contains("hookline.portal.accent-color: must be #rgb or #rrggbb (was 'red')"),
                "no line for the accent colour in:\n" + output);
    }
}
