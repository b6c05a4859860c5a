package io.hookline.testsupport;

import io.hookline.config.ConfigRules;
import io.hookline.config.HooklineConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What start-up reports for a configuration: {@link HooklineConfig} built the way Quarkus builds it (its duration
 * converter, the mapping, and {@link ConfigRules} as SmallRye Config's validator), without booting.
 */
public final class ConfigProblems {
    private ConfigProblems() {}

    /** The broken rules of {@code values} over the defaults, one line per problem, sorted; empty when valid. */
    public static List<String> of(Map<String, String> values) {
        try {
            new SmallRyeConfigBuilder()
                    .withConverter(Duration.class, 200, new DurationConverter())
                    .withMapping(HooklineConfig.class)
                    .withValidator(new ConfigRules())
                    .withDefaultValues(values)
                    .build();
            return List.of();
        } catch (ConfigValidationException e) {
            return IntStream.range(0, e.getProblemCount())
                    .mapToObj(i -> e.getProblem(i).getMessage())
                    .sorted()
                    .toList();
        }
    }

    /** The configuration that {@code values} give, which must be valid. */
    public static HooklineConfig valid(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(HooklineConfig.class)
                .withValidator(new ConfigRules())
                .withDefaultValues(values)
                .build()
                .getConfigMapping(HooklineConfig.class);
    }
}
