package io.hookline.service;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
public class EventTypes {
    static final int SCANNED = 10_000;

    static final String RECENT_TYPES = """
            SELECT DISTINCT type FROM (
                SELECT type FROM event WHERE tenant = ? ORDER BY id DESC LIMIT ?) recent
            WHERE type <> ?
            ORDER BY type
            """;

    @Inject
    AgroalDataSource dataSource;

    /** The types of the tenant's recent events, sorted, without the test sends' {@code webhook.test}. */
    public List<String> recent(String tenant) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(RECENT_TYPES)) {
            ps.setString(1, tenant);
            ps.setInt(2, SCANNED);
            ps.setString(3, DeliveryService.TEST_EVENT_TYPE);
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
