package io.hookline.api;

import io.hookline.contract.ProblemException;
import io.hookline.contract.Text;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hibernate.exception.JDBCConnectionException;
import org.jboss.logging.Logger;

/**
 * What a failed request's exception says about the database, found anywhere in its cause chain (the services wrap
 * SQL exceptions, Hibernate and the transaction manager wrap them again): either the database cannot be had right
 * now, which is a 503 and worth retrying, or it refused a value of the request, which is the caller's 4xx.
 *
 * @param kind     which of the two
 * @param sqlState the SQLState that decided it, or null (a pool timeout has none)
 * @param message  the first line of the database's message, for one log line
 */
public record DatabaseFailure(Kind kind, String sqlState, String message) {

    public enum Kind {
        /** Unreachable, restarting, shutting down, or no pooled connection within the acquisition timeout. */
        UNAVAILABLE,
        /** SQLState class 22 (data exception): e.g. 22021, a U+0000 the input checks missed. */
        UNSTORABLE
    }

    /** Causes followed at most; a chain is a handful deep, this only stops a cycle. */
    private static final int MAX_DEPTH = 32;
    /** Seconds a client is asked to wait: a database restart takes a few, a fail-over tens. */
    static final long RETRY_AFTER_SECONDS = 5;
    /** During an outage every request fails the same way: one log line per 10 s says it, with the count. */
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final Logger LOG = Logger.getLogger(DatabaseFailure.class);
    private static final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
    private static final AtomicLong unlogged = new AtomicLong();

    /**
     * The answer to a request that failed for a database reason, after logging one line without a stack trace (the
     * reason is known, a trace would only hide it); empty when the database is not why it failed.
     */
    public static Optional<ProblemException> problemFor(Throwable failure) {
        return of(failure).map(DatabaseFailure::problem);
    }

    private ProblemException problem() {
        if (kind == Kind.UNSTORABLE) {
            LOG.warnf(
                    "Refused a request: the database cannot store one of its values (SQLState %s: %s)",
                    sqlState, message);
            return ProblemException.badRequest(
                    "the request holds a value that cannot be stored (SQLState " + sqlState + "), such as U+0000");
        }
        logThrottled();
        return ProblemException.unavailable(
                "the database cannot be reached right now; try again shortly", RETRY_AFTER_SECONDS);
    }

    private void logThrottled() {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
            long others = unlogged.getAndSet(0);
            LOG.warnf(
                    "Answering 503: the database is unavailable (SQLState %s: %s)%s",
                    sqlState,
                    message,
                    others == 0 ? "" : "; " + others + " more requests got a 503 since the last line");
        } else {
            unlogged.incrementAndGet();
        }
    }

    /**
     * Looks through the causes and the suppressed exceptions: a connection lost during a commit reaches the caller as
     * a RollbackException that carries the driver's I/O error as a suppressed exception, not as its cause.
     */
    public static Optional<DatabaseFailure> of(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Deque<Throwable> pending = new ArrayDeque<>();
        if (failure != null) {
            pending.add(failure);
        }
        while (!pending.isEmpty() && seen.size() < MAX_DEPTH) {
            Throwable t = pending.poll();
            if (seen.put(t, true) != null) {
                continue;
            }
            Optional<DatabaseFailure> found = classify(t);
            if (found.isPresent()) {
                return found;
            }
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
            pending.addAll(Arrays.asList(t.getSuppressed()));
        }
        return Optional.empty();
    }

    private static Optional<DatabaseFailure> classify(Throwable t) {
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null && state.startsWith("22")) {
                return Optional.of(new DatabaseFailure(Kind.UNSTORABLE, state, firstLine(sql.getMessage())));
            }
            if (unavailable(sql, state)) {
                return Optional.of(new DatabaseFailure(Kind.UNAVAILABLE, state, firstLine(sql.getMessage())));
            }
        } else if (t instanceof JDBCConnectionException jdbc) {
            return Optional.of(new DatabaseFailure(Kind.UNAVAILABLE, jdbc.getSQLState(), firstLine(jdbc.getMessage())));
        }
        return Optional.empty();
    }

    private static boolean unavailable(SQLException e, String state) {
        if (state != null) {
            // 08: connection exception; 57P01/57P02: the server is shutting down or crashed; 57P03: starting up or in
            // recovery; 53300: too many connections
            return state.startsWith("08")
                    || state.equals("57P01")
                    || state.equals("57P02")
                    || state.equals("57P03")
                    || state.equals("53300");
        }
        if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException) {
            return true;
        }
        // Agroal's pool says "Sorry, acquisition timeout!" or "Acquisition timeout while waiting for new connection"
        // with no SQLState and no subclass of its own; its message is the only mark.
        String message = e.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("acquisition timeout");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return Text.clip(nl < 0 ? s : s.substring(0, nl), 200);
    }
}
