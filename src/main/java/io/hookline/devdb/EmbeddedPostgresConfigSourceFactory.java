package io.hookline.devdb;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives dev mode and tests a database when none is configured: if {@code quarkus.datasource.jdbc.url} (env
 * {@code QUARKUS_DATASOURCE_JDBC_URL}) is unset in the dev or test profile, an embedded PostgreSQL is started and its
 * URL supplied. In the prod profile this does nothing, and the embedded PostgreSQL library is not even on the
 * class path (it is a {@code provided} dependency).
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String URL_KEY = "quarkus.datasource.jdbc.url";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        boolean test = profiles.contains("test");
        if (!test && !profiles.contains("dev")) {
            return List.of();
        }
        ConfigValue configured = context.getValue(URL_KEY);
        if (configured != null
                && configured.getValue() != null
                && !configured.getValue().isBlank()) {
            return List.of();
        }
        String url = EmbeddedPostgres.start(test ? "test" : "dev");
        return List.of(new PropertiesConfigSource(
                Map.of(URL_KEY, url, "quarkus.datasource.username", "postgres", "quarkus.datasource.password", ""),
                "hookline-embedded-postgres",
                50));
    }
}
