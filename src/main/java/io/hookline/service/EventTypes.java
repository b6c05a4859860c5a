package io.hookline.service;

import io.agroal.api.AgroalDataSource;
import io.hookline.common.sql.Prepared;
import io.hookline.common.sql.Sql;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The event types a tenant has published, so the portal offers them as filters to pick rather than names to type.
 * <p>
 * Read from the tenant's latest {@link #SCANNED} events through the existing {@code event_tenant (tenant, id DESC)}
 * index: the cost is bounded whatever the tenant's history, with no new index on the publish path. A type last
 * published before those events is not offered (it can still be typed).
 */
@ApplicationScoped
@Startup // loads its statement at start-up: a missing file fails the start, not the first portal page
public class EventTypes {
    static final int SCANNED = 10_000;

    static final Sql RECENT_TYPES = Sql.load("events/recent-types.sql");

    @Inject
    AgroalDataSource dataSource;

    /** The types of the tenant's recent events, sorted, without the test sends' {@code webhook.test}. */
    public List<String> recent(String tenant) {
        try (Connection c = dataSource.getConnection();
                Prepared ps = RECENT_TYPES.prepare(c)) {
            ps.set("tenant", tenant).set("scanned", SCANNED).set("except_type", DeliveryService.TEST_EVENT_TYPE);
            List<String> types = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.add(rs.getString(1));
                }
            }
            return types;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the tenant's event types", e);
        }
    }
}
