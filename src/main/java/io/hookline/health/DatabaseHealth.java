package io.hookline.health;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Readiness: both connection pools (the API's and the dispatcher's) can hand out a valid connection. It replaces
 * Quarkus' datasource check ({@code quarkus.datasource.health.enabled=false}), whose DOWN answer carried the driver's
 * message, "Connection to db.internal:5432 refused", to anyone who asks: probes need no token. Here the answer says
 * only UP or DOWN per pool; the reason goes to the log, once per outage.
 */
@Readiness
@ApplicationScoped
public class DatabaseHealth implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(DatabaseHealth.class);

    @Inject
    AgroalDataSource api;

    @Inject
    @DataSource("queue")
    AgroalDataSource queue;

    private final AtomicBoolean down = new AtomicBoolean();

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("database").up();
        boolean ok = check("api", api, response) & check("queue", queue, response);
        if (ok && down.compareAndSet(true, false)) {
            LOG.info("Readiness: the database is reachable again");
        }
        return response.build();
    }

    private boolean check(String name, AgroalDataSource pool, HealthCheckResponseBuilder response) {
        String failure;
        try {
            failure = pool.isHealthy(false) ? null : "the connection did not pass validation";
        } catch (SQLException | RuntimeException e) {
            failure = e.getMessage();
        }
        if (failure == null) {
            response.withData(name, "UP");
            return true;
        }
        response.down().withData(name, "DOWN");
        if (down.compareAndSet(false, true)) {
            LOG.warnf("Readiness DOWN: the %s pool cannot get a valid database connection (%s)", name, failure);
        }
        return false;
    }
}
