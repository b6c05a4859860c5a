package io.hookline.queue;

import io.hookline.store.ErrorClass;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The form a result takes when the database refused to store it: the same decision (done, retry at the same time,
 * failed, gone), so the receiver is not sent a delivery it already answered, but an attempt row that keeps only what
 * Hookline itself measured (start, duration, status code) and says, as an {@code internal} error, that the rest could
 * not be stored. Stateless.
 */
public final class Unstorable {
    private Unstorable() {}

    /** @param cause what the database answered; only its SQLSTATE is kept, the message may quote the row */
    public static Outcome substitute(Outcome outcome, Exception cause) {
        String why = "the result could not be stored (" + describe(cause) + "); the receiver's answer is not kept";
        if (outcome instanceof Outcome.Succeeded s) {
            return new Outcome.Succeeded(s.claim(), attempt(s.attempt(), why));
        } else if (outcome instanceof Outcome.Retry r) {
            return new Outcome.Retry(r.claim(), attempt(r.attempt(), why), r.nextAttemptAt());
        } else if (outcome instanceof Outcome.Failed f) {
            return new Outcome.Failed(f.claim(), attempt(f.attempt(), why), f.gone());
        } else if (outcome instanceof Outcome.Cancelled c) {
            return new Outcome.Cancelled(
                    c.claim(), "cancelled; the reason could not be stored (" + describe(cause) + ")");
        }
        return outcome;
    }

    /**
     * Records one outcome outside the recorder (the synchronous test send, which answers with what it recorded):
     * refused for its content, it is recorded in its substitute form instead of failing the request.
     *
     * @return the outcome as recorded
     * @throws SQLException when the database is away: nothing was recorded
     */
    public static Outcome recordOne(DeliveryQueue queue, Outcome outcome, Instant now) throws SQLException {
        try {
            queue.record(List.of(outcome), List.of(), now);
            return outcome;
        } catch (SQLException | RuntimeException e) {
            if (!SplittingWriter.refused(e)) {
                throw e;
            }
            SplittingWriter.log(
                    e, "A test delivery result was refused by the database; it is recorded as an internal " + "error");
            Outcome substitute = substitute(outcome, e);
            queue.record(List.of(substitute), List.of(), now);
            return substitute;
        }
    }

    private static AttemptRecord attempt(AttemptRecord a, String why) {
        return new AttemptRecord(
                a.startedAt(), Math.max(0, a.durationMs()), a.responseStatus(), null, ErrorClass.INTERNAL, why);
    }

    private static String describe(Exception cause) {
        if (cause instanceof SQLException sql && sql.getSQLState() != null) {
            return "SQLSTATE " + sql.getSQLState();
        }
        return cause.getClass().getSimpleName();
    }
}
