package io.hookline.service;

import io.agroal.api.AgroalDataSource;
import io.hookline.common.sql.Prepared;
import io.hookline.common.sql.Sql;
import io.hookline.config.PortalConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;

/**
 * Portal links and the browser sessions they start (tables {@code portal_link}, {@code portal_session}, V11).
 * <p>
 * A link token and a session id are 32 random bytes, handed out base64url-encoded; the database keeps only their
 * SHA-256. A link is opened by deleting its row ({@code DELETE … RETURNING}): of two browsers opening the same link at
 * once, on the same replica or on two, exactly one gets the row, so a link starts at most one session. A session
 * lasts {@code hookline.portal.session-lifetime} from its start, whatever is done in it. Every replica shares the
 * rows, so any replica honours a session another one started. This class is threadsafe.
 */
@ApplicationScoped
@Startup // loads its statements at start-up: a missing file fails the start, not the first portal link
@Transactional
public class PortalSessions {
    static final int TOKEN_BYTES = 32;
    /** Expired rows deleted by one issue or open, so the tables stay small without a job of their own. */
    static final int CLEANUP_BATCH = 100;

    static final Sql INSERT_LINK = Sql.load("portal/insert-link.sql");
    /** Single use: the row is gone once one caller has it; an expired row is deleted too, and refused. */
    static final Sql TAKE_LINK = Sql.load("portal/take-link.sql");

    static final Sql DELETE_EXPIRED_LINKS = Sql.load("portal/delete-expired-links.sql");
    static final Sql INSERT_SESSION = Sql.load("portal/insert-session.sql");
    static final Sql FIND_SESSION = Sql.load("portal/find-session.sql");
    static final Sql DELETE_SESSION = Sql.load("portal/delete-session.sql");
    static final Sql DELETE_EXPIRED_SESSIONS = Sql.load("portal/delete-expired-sessions.sql");

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    PortalConfig config;

    @Inject
    Clock clock;

    /** A link token as it goes into the URL, and until when it may be opened. */
    public record Link(String token, Instant expiresAt) {
        @Override
        public String toString() {
            return "Link[token=***, expiresAt=" + expiresAt + "]";
        }
    }

    /** A started session: the cookie value, its tenant and its end. */
    public record Session(String id, String tenant, Instant expiresAt) {
        @Override
        public String toString() {
            return "Session[id=***, tenant=" + tenant + ", expiresAt=" + expiresAt + "]";
        }
    }

    /** The tenant of a live session, and when it ends. */
    public record Holder(String tenant, Instant expiresAt) {}

    @Inject
    AuditLog audit;

    /**
     * Issues a one-time link for {@code tenant} (already validated by the caller's authentication), recorded in the
     * tenant's audit log in the same transaction (never the link itself).
     */
    @Transactional
    public Link issueLink(String tenant) {
        Instant now = clock.instant();
        Instant expires = now.plus(config.linkLifetime());
        String token = randomToken();
        try (Connection c = dataSource.getConnection()) {
            deleteExpired(c, DELETE_EXPIRED_LINKS, now);
            try (Prepared ps = INSERT_LINK.prepare(c)) {
                ps.set("token_hash", sha256(token))
                        .set("tenant", tenant)
                        .set("now", now)
                        .set("expires_at", expires)
                        .executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not store a portal link", e);
        }
        audit.record(tenant, AuditLog.ISSUED, AuditLog.PORTAL_LINK, null, "expiresAt=" + expires);
        return new Link(token, expires);
    }

    /**
     * Opens a link: the link is used up whatever the outcome, and a session starts if it was still valid.
     *
     * @return empty when the token is unknown, already used or expired
     */
    public Optional<Session> open(String token) {
        if (!wellFormed(token)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            String tenant;
            try (Prepared ps = TAKE_LINK.prepare(c)) {
                try (ResultSet rs = ps.set("token_hash", sha256(token)).executeQuery()) {
                    if (!rs.next()
                            || !rs.getObject(2, OffsetDateTime.class)
                                    .toInstant()
                                    .isAfter(now)) {
                        return Optional.empty();
                    }
                    tenant = rs.getString(1);
                }
            }
            return Optional.of(insertSession(c, tenant, now));
        } catch (SQLException e) {
            throw new IllegalStateException("could not open a portal link", e);
        }
    }

    /** Starts a session for a tenant the caller has authenticated otherwise (the portal's OIDC sign-in). */
    public Session start(String tenant) {
        try (Connection c = dataSource.getConnection()) {
            return insertSession(c, tenant, clock.instant());
        } catch (SQLException e) {
            throw new IllegalStateException("could not start a portal session", e);
        }
    }

    private Session insertSession(Connection c, String tenant, Instant now) throws SQLException {
        deleteExpired(c, DELETE_EXPIRED_SESSIONS, now);
        String id = randomToken();
        Instant expires = now.plus(config.sessionLifetime());
        try (Prepared ps = INSERT_SESSION.prepare(c)) {
            ps.set("id_hash", sha256(id))
                    .set("tenant", tenant)
                    .set("now", now)
                    .set("expires_at", expires)
                    .executeUpdate();
        }
        return new Session(id, tenant, expires);
    }

    /** The live session with this cookie value, if any. */
    public Optional<Holder> find(String sessionId) {
        if (!wellFormed(sessionId)) {
            return Optional.empty();
        }
        try (Connection c = dataSource.getConnection();
                Prepared ps = FIND_SESSION.prepare(c)) {
            ps.set("id_hash", sha256(sessionId)).set("now", clock.instant());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Holder(
                                rs.getString(1),
                                rs.getObject(2, OffsetDateTime.class).toInstant()))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not look up a portal session", e);
        }
    }

    /** Ends a session (sign-out). */
    public void close(String sessionId) {
        if (!wellFormed(sessionId)) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                Prepared ps = DELETE_SESSION.prepare(c)) {
            ps.set("id_hash", sha256(sessionId)).executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not end a portal session", e);
        }
    }

    /**
     * The CSRF token of a session: derived from the session id, which only its browser holds (HttpOnly cookie), so a
     * page of another site can neither read nor compute it. Its own prefix keeps it unrelated to the stored hash.
     */
    public static String csrfToken(String sessionId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("hookline-portal-csrf:" + sessionId));
    }

    /** Compares in constant time, so the answer's timing says nothing about how much of a guess was right. */
    public static boolean sameToken(String expected, String given) {
        return given != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    /** One batch of {@code sql}: {@link #DELETE_EXPIRED_LINKS} or {@link #DELETE_EXPIRED_SESSIONS}. */
    private static void deleteExpired(Connection c, Sql sql, Instant now) throws SQLException {
        try (Prepared ps = sql.prepare(c)) {
            ps.set("now", now).set("limit", CLEANUP_BATCH).executeUpdate();
        }
    }

    /** 32 bytes in base64url are 43 characters of [A-Za-z0-9_-]; anything else cannot be one of ours. */
    static boolean wellFormed(String token) {
        return token != null && token.length() == 43 && token.chars().allMatch(PortalSessions::base64url);
    }

    private static boolean base64url(int ch) {
        return (ch >= 'A' && ch <= 'Z')
                || (ch >= 'a' && ch <= 'z')
                || (ch >= '0' && ch <= '9')
                || ch == '-'
                || ch == '_';
    }

    private static String randomToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
