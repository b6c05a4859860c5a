package io.hookline.service;

import io.agroal.api.AgroalDataSource;
import io.hookline.common.Ids;
import io.hookline.common.sql.Prepared;
import io.hookline.common.sql.Sql;
import io.hookline.config.HooklineConfig;
import io.hookline.contract.ProblemException;
import io.hookline.contract.SourceApi;
import io.hookline.contract.Text;
import io.hookline.crypto.SecretCipher;
import io.hookline.ingest.Headers;
import io.hookline.ingest.Provider;
import io.hookline.ingest.ProviderSecret;
import io.hookline.ingest.Reason;
import io.hookline.ingest.Received;
import io.hookline.ingest.Rejected;
import io.hookline.ingest.Verification;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@code POST /ingest/{sourceId}}: find the source, verify the request by its provider's rules, and store it, in one
 * short transaction, before the answer. Nothing else happens before the answer: the event is made and published
 * after the commit by {@link IngestPublisher} (on its own threads, and by its sweep should this replica die first).
 * A refused request stores nothing; it is counted in {@code hookline_ingest_rejected_total} and, at most once a minute
 * per source, noted on the source ({@code lastRejection}), so a flood of forged requests costs no more than that.
 */
@ApplicationScoped
@Startup // loads its statements at start-up: a missing file fails the start, not the first inbound request
public class IngestService {
    private static final Logger LOG = Logger.getLogger(IngestService.class);
    /** Room left in an event for the envelope around an ingested body, so that its event always fits. */
    static final int ENVELOPE_ROOM = 1024;
    /** A source's lastRejection is written at most this often. */
    static final long NOTE_EVERY_SECONDS = 60;

    static final Sql FIND_SOURCE = Sql.load("ingest/find-source.sql");
    /** A retry of a stored provider event inserts nothing (the unique index source_request_dedup). */
    static final Sql INSERT_REQUEST = Sql.load("ingest/insert-request.sql");

    static final Sql COUNT_DUPLICATE = Sql.load("ingest/count-duplicate.sql");
    /** Touches the row only when the last note is a minute old: a flood of refusals is one write a minute. */
    static final Sql NOTE_REJECTION = Sql.load("ingest/note-rejection.sql");

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SecretCipher cipher;

    @Inject
    HooklineConfig config;

    @Inject
    Clock clock;

    @Inject
    IngestMetrics metrics;

    @Inject
    Event<SourceRequestStored> stored;

    /** The largest body a source accepts: what fits in an event with room for the envelope. */
    public int maxBodyBytes() {
        return config.events().maxPayloadBytes() - ENVELOPE_ROOM;
    }

    /**
     * Verifies and stores one inbound request.
     *
     * @throws ProblemException a 4xx when the request is refused (nothing stored), 503 when the database is away
     */
    public SourceApi.Accepted receive(String sourceId, Headers headers, byte[] body) {
        Instant now = clock.instant();
        try {
            SourceRow source = find(sourceId);
            if (source == null) {
                throw new Rejected(Reason.UNKNOWN_SOURCE, "source " + sourceId + " does not exist");
            }
            try {
                Received received = verify(source, headers, body, now);
                return store(sourceId, source.tenant, received, body, now);
            } catch (Rejected rejected) {
                note(sourceId, rejected.reason(), now);
                throw rejected;
            }
        } catch (Rejected rejected) {
            metrics.rejected(rejected.reason());
            LOG.debugf(
                    "Refused a request to source %s: %s",
                    sourceId, rejected.reason().label());
            throw problem(rejected);
        }
    }

    private Received verify(SourceRow source, Headers headers, byte[] body, Instant now) {
        if (body.length > maxBodyBytes()) {
            throw new Rejected(
                    Reason.TOO_LARGE,
                    "the body is " + body.length + " bytes; a source accepts at most " + maxBodyBytes()
                            + " (hookline.events.max-payload-bytes less " + ENVELOPE_ROOM + ")");
        }
        ProviderSecret secret = source.secret(cipher);
        Received received = Verification.verify(
                source.provider,
                secret,
                source.signatureHeader,
                headers,
                body,
                now.getEpochSecond(),
                config.ingest().tolerance().toSeconds());
        if (!Text.storable(received.providerEventId()) || !Text.storable(received.providerEventType())) {
            throw new Rejected(Reason.MALFORMED, "the provider's event id or type " + Text.UNSTORABLE);
        }
        return received;
    }

    private SourceApi.Accepted store(String sourceId, String tenant, Received received, byte[] body, Instant now) {
        SourceApi.Accepted accepted = QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                String id = Ids.sourceRequest();
                try (Prepared ps = INSERT_REQUEST.prepare(c)) {
                    ps.set("id", id)
                            .set("source_id", sourceId)
                            .set("tenant", tenant)
                            .set("received_at", now)
                            .set("provider_event_id", received.providerEventId())
                            .set("provider_event_type", received.providerEventType())
                            .set("body", body);
                    if (ps.executeUpdate() == 1) {
                        stored.fire(new SourceRequestStored(id));
                        return new SourceApi.Accepted(id, false);
                    }
                }
                try (Prepared ps = COUNT_DUPLICATE.prepare(c)) {
                    ps.set("source_id", sourceId).set("provider_event_id", received.providerEventId());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return new SourceApi.Accepted(rs.getString(1), true);
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("storing an inbound request failed", e);
            }
        });
        metrics.received(accepted.duplicate());
        return accepted;
    }

    /** Notes the refusal on the source, at most once a minute; a failure here never changes the answer. */
    private void note(String sourceId, Reason reason, Instant now) {
        try (Connection c = dataSource.getConnection();
                Prepared ps = NOTE_REJECTION.prepare(c)) {
            ps.set("now", now)
                    .set("reason", reason.label())
                    .set("source_id", sourceId)
                    .set("noted_before", now.minusSeconds(NOTE_EVERY_SECONDS))
                    .executeUpdate();
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("Could not note a refused request on source %s: %s", sourceId, e.getMessage());
        }
    }

    private SourceRow find(String sourceId) {
        try (Connection c = dataSource.getConnection();
                Prepared ps = FIND_SOURCE.prepare(c)) {
            try (ResultSet rs = ps.set("source_id", sourceId).executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new SourceRow(
                        sourceId,
                        rs.getString(1),
                        Provider.fromWire(rs.getString(2)).orElseThrow(),
                        rs.getString(3),
                        new SecretCipher.Sealed(rs.getString(4), rs.getBytes(5), rs.getBytes(6)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading source " + sourceId + " failed", e);
        }
    }

    private record SourceRow(
            String id, String tenant, Provider provider, String signatureHeader, SecretCipher.Sealed sealed) {
        ProviderSecret secret(SecretCipher cipher) {
            try {
                return new ProviderSecret(cipher.open(sealed, id));
            } catch (IllegalStateException e) {
                LOG.errorf("Source %s cannot verify requests: %s", id, e.getMessage());
                throw ProblemException.unavailable(
                        "this source's secret cannot be decrypted; the operator has been told", 60);
            }
        }
    }

    private static ProblemException problem(Rejected rejected) {
        Reason reason = rejected.reason();
        return switch (reason) {
            case UNKNOWN_SOURCE ->
                new ProblemException(404, "not-found", "Not found", rejected.getMessage(), null, Map.of());
            case TOO_LARGE -> ProblemException.tooLarge(rejected.getMessage());
            case MALFORMED ->
                new ProblemException(
                        400, "malformed-webhook", "Malformed webhook", rejected.getMessage(), null, Map.of());
            default ->
                new ProblemException(
                        400, "signature-rejected", "Signature not verified", rejected.getMessage(), null, Map.of());
        };
    }
}
