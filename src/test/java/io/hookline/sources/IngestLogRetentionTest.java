package io.hookline.sources;

import io.hookline.common.Ids;
import io.hookline.retention.Retention;
import io.hookline.service.IngestPublisher;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.Tokens;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ingest log is kept under the retention rules: finished entries go after hookline.ingest.log-retention (30 days),
 * pending ones never (they are not events yet), and a deleted source's row once its log is empty. Rows are dated
 * relative to a time far ahead of the service's clock, as in RetentionTest. The ingest sweep is paused meanwhile: it
 * runs every second in tests and would publish the pending row, which retention may then rightly delete.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class IngestLogRetentionTest {
    static final Instant NOW = Instant.parse("2100-01-01T00:00:00Z");

    @Inject
    Retention retention;

    @Inject
    Scheduler scheduler;

    final String tenant = Tokens.newTenant();

    String source(Instant deletedAt) {
        String id = Ids.source();
        if (deletedAt == null) {
            Db.update(
                    "INSERT INTO source (id, tenant, provider, key_id, nonce, ciphertext, created_at, updated_at) "
                            + "VALUES (?, ?, 'github', 'k', decode('000000000000000000000000', 'hex'), '\\x00', now(), now())",
                    id,
                    tenant);
        } else {
            Db.update(
                    "INSERT INTO source (id, tenant, provider, created_at, updated_at, deleted_at) "
                            + "VALUES (?, ?, 'github', now(), now(), ?)",
                    id,
                    tenant,
                    at(deletedAt));
        }
        return id;
    }

    String request(String source, String status, Instant receivedAt) {
        String id = Ids.sourceRequest();
        boolean published = status.equals("published");
        Db.update(
                "INSERT INTO source_request (id, source_id, tenant, received_at, provider_event_id, provider_event_type,"
                        + " body, status, event_id, event_type, published_at, error) "
                        + "VALUES (?, ?, ?, ?, ?, 'push', ?, ?, ?, ?, ?, ?)",
                id,
                source,
                tenant,
                at(receivedAt),
                "delivery-" + id,
                status.equals("published") ? null : new byte[] {'{', '}'},
                status,
                published ? "evt_x" : null,
                published ? "github.push" : null,
                published ? at(receivedAt) : null,
                status.equals("failed") ? "refused" : null);
        return id;
    }

    static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant daysAgo(int days) {
        return NOW.minus(Duration.ofDays(days));
    }

    @Test
    void finished_entries_go_after_thirty_days_pending_ones_stay_and_an_emptied_deleted_source_goes() throws Exception {
        scheduler.pause(IngestPublisher.SWEEP);
        try {
            purgeKeepsPendingRows();
        } finally {
            scheduler.resume(IngestPublisher.SWEEP);
        }
    }

    void purgeKeepsPendingRows() throws Exception {
        String live = source(null);
        String oldPublished = request(live, "published", daysAgo(31));
        String oldFailed = request(live, "failed", daysAgo(31));
        String recentPublished = request(live, "published", daysAgo(29));
        String oldPending = request(live, "pending", daysAgo(400));
        String gone = source(daysAgo(40));
        request(gone, "published", daysAgo(45));
        String deletedRecently = source(daysAgo(10));

        retention.purge(NOW);

        assertEquals(0, Db.count("SELECT count(*) FROM source_request WHERE id IN (?, ?)", oldPublished, oldFailed));
        assertEquals(
                2, Db.count("SELECT count(*) FROM source_request WHERE id IN (?, ?)", recentPublished, oldPending));
        // its log went in the same run, so the deleted source's row goes too; a recently deleted one stays
        assertEquals(0, Db.count("SELECT count(*) FROM source WHERE id = ?", gone));
        assertEquals(2, Db.count("SELECT count(*) FROM source WHERE id IN (?, ?)", live, deletedRecently));
    }
}
