package io.hookline.health;

import io.hookline.engine.Dispatcher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;
import org.flywaydb.core.Flyway;

/**
 * Probes for container platforms. Readiness (beside {@link DatabaseHealth}, which goes DOWN when PostgreSQL is
 * unreachable): the schema is fully migrated, with the dispatcher's state as data. Startup: the schema is migrated,
 * so a slow first migration does not get the container killed by its liveness probe.
 */
public class HooklineHealth {

    @ApplicationScoped
    static class Migrations {
        @Inject
        Flyway flyway;

        private volatile boolean applied;

        /**
         * Once every migration is applied it stays applied: later probes cost nothing. False, not an exception, when
         * the database cannot be asked.
         */
        boolean applied() {
            if (!applied) {
                try {
                    applied = flyway.info().pending().length == 0;
                } catch (RuntimeException e) {
                    return false;
                }
            }
            return applied;
        }
    }

    @Readiness
    @ApplicationScoped
    static class Ready implements HealthCheck {
        @Inject
        Migrations migrations;

        @Inject
        Dispatcher dispatcher;

        @Override
        public HealthCheckResponse call() {
            boolean migrated = migrations.applied();
            return HealthCheckResponse.named("hookline")
                    .status(migrated)
                    .withData("migrations", migrated ? "applied" : "pending or unreadable")
                    .withData("dispatcher", dispatcher.state().value())
                    .withData("sendsInFlight", dispatcher.sending())
                    .build();
        }
    }

    @Startup
    @ApplicationScoped
    static class Started implements HealthCheck {
        @Inject
        Migrations migrations;

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("hookline-schema")
                    .status(migrations.applied())
                    .build();
        }
    }
}
