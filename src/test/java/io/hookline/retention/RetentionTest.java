package io.hookline.retention;

import io.agroal.api.AgroalDataSource;
import io.hookline.common.Ids;
import io.hookline.testsupport.Db;
import io.hookline.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention against the real database. Rows are written with SQL, dated relative to {@link #NOW}, a time far ahead of
 * the running service's clock: the live dispatcher sees none of the pending rows as due and none of the leases as
 * expired, so it leaves every row of these tests alone.
 */
@QuarkusTest
@WithTestResource(OidcWiremockTestResource.class)
class RetentionTest {
    static final Instant NOW = Instant.parse("2100-01-01T00:00:00Z");

    @Inject
    Retention retention;

    @Inject
    RetentionJob job;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    final String tenant = Tokens.newTenant();
    String webhook;

    @BeforeEach
    void cleanDatabase() {
        Db.update("TRUNCATE delivery_attempt, delivery, event");
        webhook = Ids.webhook();
        Db.update(
                "INSERT INTO webhook (id, tenant, url, created_at, updated_at) "
                        + "VALUES (?, ?, 'https://receiver.example/hook', now(), now())",
                webhook,
                tenant);
    }

    @Test
    void only_finished_deliveries_past_their_age_go_and_pending_or_in_flight_ones_of_any_age_stay() throws Exception {
        String succeededRecent = delivery(event(days(400)), "succeeded", days(29));
        attempts(succeededRecent, 1);
        String succeededOld = delivery(event(days(400)), "succeeded", days(31));
        attempts(succeededOld, 2);
        String failedOld = delivery(event(days(400)), "failed", days(91));
        attempts(failedOld, 3);
        String cancelledOld = delivery(event(days(400)), "cancelled", days(91));
        // older than the succeeded age, younger than the failed one: stays
        String failedRecent = delivery(event(days(400)), "failed", days(89));
        String pending = delivery(event(days(1000)), "pending", null);
        String inFlight = delivery(event(days(1000)), "in_flight", null);

        Retention.Purged first = retention.purge(NOW);

        assertTrue(first.ran());
        assertEquals(1, first.succeeded());
        assertEquals(2, first.failed());
        assertEquals(Set.of(succeededRecent, failedRecent, pending, inFlight), ids("SELECT id FROM delivery"));
        assertEquals(
                Set.of(succeededRecent),
                ids("SELECT delivery_id FROM delivery_attempt"),
                "the attempts of deleted deliveries go with them, the others stay");
        // events left without a delivery by this run go in the next one
        assertEquals(0, first.events());
        assertEquals(7L, Db.count("SELECT count(*) FROM event"));

        Retention.Purged second = retention.purge(NOW);
        assertEquals(new Retention.Purged(true, 0, 0, 3, false), second);
        assertEquals(4L, Db.count("SELECT count(*) FROM event"));
        assertEquals(
                0L,
                Db.count("SELECT count(*) FROM event e WHERE NOT EXISTS "
                        + "(SELECT 1 FROM delivery d WHERE d.event_id = e.id)"),
                "every remaining event has a delivery");

        assertEquals(0L, retention.purge(NOW).total());
    }

    @Test
    void an_event_goes_once_it_has_no_delivery_and_is_older_than_the_longer_age() throws Exception {
        String orphanOld = event(days(91));
        String orphanBetweenAges = event(days(89));
        String withRecentDelivery = event(days(1000));
        delivery(withRecentDelivery, "succeeded", days(1));
        String withPendingDelivery = event(days(1000));
        delivery(withPendingDelivery, "pending", null);

        Retention.Purged purged = retention.purge(NOW);

        assertEquals(new Retention.Purged(true, 0, 0, 1, false), purged);
        assertEquals(Set.of(orphanBetweenAges, withRecentDelivery, withPendingDelivery), ids("SELECT id FROM event"));
        assertFalse(ids("SELECT id FROM event").contains(orphanOld));
    }

    @Test
    void a_run_deletes_batch_after_batch_until_none_is_left() throws Exception {
        for (int i = 0; i < 5; i++) {
            event(days(100));
            delivery(event(days(100)), "succeeded", days(40));
        }

        Retention.Purged purged = retention.purge(NOW, 2, Duration.ofMinutes(1));

        assertEquals(new Retention.Purged(true, 5, 0, 5, false), purged);
        assertEquals(0L, Db.count("SELECT count(*) FROM delivery"));
    }

    @Test
    void a_run_stops_after_the_batch_that_spends_its_time_budget() throws Exception {
        for (int i = 0; i < 5; i++) {
            event(days(100));
        }

        // a zero budget is spent by the first batch: one batch of 2 per run, the rest is left to the next run
        assertEquals(new Retention.Purged(true, 0, 0, 2, true), retention.purge(NOW, 2, Duration.ZERO));
        assertEquals(3L, Db.count("SELECT count(*) FROM event"));
        assertEquals(new Retention.Purged(true, 0, 0, 2, true), retention.purge(NOW, 2, Duration.ZERO));
        assertEquals(new Retention.Purged(true, 0, 0, 1, false), retention.purge(NOW, 2, Duration.ofMinutes(1)));
        assertEquals(0L, Db.count("SELECT count(*) FROM event"));
    }

    @Test
    void a_run_while_another_holds_the_lock_deletes_nothing() throws Exception {
        String old = delivery(event(days(400)), "succeeded", days(31));
        event(days(400));
        // another replica in the middle of a batch: it holds the lock in its open transaction
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try {
                try (PreparedStatement ps = other.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
                    ps.setLong(1, Retention.LOCK_KEY);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertTrue(rs.getBoolean(1));
                    }
                }
                Retention.Purged skipped = retention.purge(NOW);
                assertFalse(skipped.ran());
                assertEquals(0, skipped.total());
                assertEquals(Set.of(old), ids("SELECT id FROM delivery"));
                assertEquals(2L, Db.count("SELECT count(*) FROM event"));
            } finally {
                other.rollback();
                other.setAutoCommit(true);
            }
        }
        // the other replica's transaction is over: the lock is free again
        Retention.Purged purged = retention.purge(NOW);
        assertEquals(new Retention.Purged(true, 1, 0, 1, false), purged);
    }

    @Test
    void the_scheduled_job_does_nothing_when_disabled() throws Exception {
        // old by the service's own clock; hookline.retention.enabled=false in the test profile
        Instant now = clock.instant();
        String old = delivery(event(now.minus(Duration.ofDays(400))), "succeeded", now.minus(Duration.ofDays(31)));

        job.run();
        assertEquals(Set.of(old), ids("SELECT id FROM delivery"));

        retention.purge(now);
        assertEquals(Set.of(), ids("SELECT id FROM delivery"));
    }

    private static Instant days(int daysBeforeNow) {
        return NOW.minus(Duration.ofDays(daysBeforeNow));
    }

    private String event(Instant createdAt) {
        String id = Ids.event();
        Db.update(
                "INSERT INTO event (id, tenant, type, body, created_at) VALUES (?, ?, 'a.b', ?, ?)",
                id,
                tenant,
                "{}".getBytes(StandardCharsets.UTF_8),
                ts(createdAt));
        return id;
    }

    /** A delivery created 1000 days before {@link #NOW}; finished ones completed at {@code completedAt}. */
    private String delivery(String eventId, String status, Instant completedAt) {
        String id = Ids.delivery();
        Instant created = days(1000);
        switch (status) {
            case "pending" ->
                Db.update(
                        "INSERT INTO delivery (id, event_id, webhook_id, tenant, status, next_attempt_at, "
                                + "created_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)",
                        id,
                        eventId,
                        webhook,
                        tenant,
                        ts(created),
                        ts(created));
            case "in_flight" ->
                Db.update(
                        "INSERT INTO delivery (id, event_id, webhook_id, tenant, status, attempts, "
                                + "next_attempt_at, lease_until, lease_token, created_at) "
                                + "VALUES (?, ?, ?, ?, 'in_flight', 1, ?, ?, nextval('delivery_lease_token'), ?)",
                        id,
                        eventId,
                        webhook,
                        tenant,
                        ts(created),
                        ts(created.plusSeconds(40)),
                        ts(created));
            default ->
                Db.update(
                        "INSERT INTO delivery (id, event_id, webhook_id, tenant, status, attempts, created_at, "
                                + "completed_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
                        id,
                        eventId,
                        webhook,
                        tenant,
                        status,
                        ts(created),
                        ts(completedAt));
        }
        return id;
    }

    private void attempts(String deliveryId, int count) {
        for (int n = 1; n <= count; n++) {
            Db.update(
                    "INSERT INTO delivery_attempt (delivery_id, attempt, started_at, duration_ms, response_status) "
                            + "VALUES (?, ?, ?, 12, 200)",
                    deliveryId,
                    n,
                    ts(days(500)));
        }
    }

    private static Set<Object> ids(String sql) {
        Set<Object> ids = new TreeSet<>();
        Db.query(sql).forEach(row -> ids.add(row.get(0)));
        return ids;
    }

    private static OffsetDateTime ts(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
