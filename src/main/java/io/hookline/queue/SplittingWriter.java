package io.hookline.queue;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * Writes a batch so that one row the database refuses cannot take the others with it. A batch refused for what it
 * holds (a data or constraint error, or a bug raising a runtime exception) is halved, and the halves written in
 * order, until each refused row stands alone; that row is then written once more in the form {@code substitute}
 * gives it (an internal error instead of the result), so it is recorded, not dropped. One bad row in a batch of 500
 * costs about 2 × log2(500) ≈ 18 extra statements. A failure that is not about the rows (the database is away, the
 * pool has no connection) is retried with the same rows, {@code tries} times in all, then the unwritten rows are
 * given up (their leases expire and they are sent again: a duplicate, never a loss). Rows already written are never
 * written again, so nothing the write does besides the rows themselves (health counters) counts twice. Not
 * threadsafe: one per recorder thread.
 *
 * @param <T> a row
 */
public final class SplittingWriter<T> {
    private static final Logger LOG = Logger.getLogger(SplittingWriter.class);

    /** One write, in one transaction: all of {@code rows} or none. */
    public interface Store<T> {
        void write(List<T> rows) throws SQLException;
    }

    /** Waits before try {@code failedTries} + 1 of the same rows. */
    public interface Backoff {
        void pause(int failedTries) throws InterruptedException;
    }

    /** What became of a batch. */
    public record Result(int written, int substituted, int givenUp) {}

    private final Store<T> store;
    private final BiFunction<T, Exception, T> substitute;
    private final int tries;
    private final Backoff backoff;

    public SplittingWriter(Store<T> store, BiFunction<T, Exception, T> substitute, int tries, Backoff backoff) {
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be >= 1");
        }
        this.store = store;
        this.substitute = substitute;
        this.tries = tries;
        this.backoff = backoff;
    }

    private record Part<T>(List<T> rows, boolean substituted) {}

    public Result write(List<T> rows) throws InterruptedException {
        Deque<Part<T>> todo = new ArrayDeque<>();
        if (!rows.isEmpty()) {
            todo.push(new Part<>(rows, false));
        }
        int written = 0;
        int substituted = 0;
        int failedTries = 0;
        while (!todo.isEmpty()) {
            Part<T> part = todo.peek();
            try {
                store.write(part.rows());
                todo.pop();
                written += part.rows().size();
                substituted += part.substituted() ? 1 : 0;
                failedTries = 0;
            } catch (SQLException | RuntimeException e) {
                if (refused(e)) {
                    todo.pop();
                    isolate(part, e, todo);
                    continue;
                }
                failedTries++;
                LOG.warnf(
                        "Could not record %d delivery results (try %d of %d): %s",
                        remaining(todo), failedTries, tries, firstLine(e.getMessage()));
                if (failedTries >= tries) {
                    int givenUp = remaining(todo);
                    LOG.errorf(
                            "Gave up recording %d delivery results; their leases will expire and they will be "
                                    + "sent again",
                            givenUp);
                    return new Result(written, substituted, givenUp);
                }
                backoff.pause(failedTries);
            }
        }
        return new Result(written, substituted, 0);
    }

    private void isolate(Part<T> part, Exception e, Deque<Part<T>> todo) {
        List<T> rows = part.rows();
        if (rows.size() > 1) {
            int half = rows.size() / 2;
            // pushed in reverse: the first half is written first, so the rows keep their order
            todo.push(new Part<>(rows.subList(half, rows.size()), false));
            todo.push(new Part<>(rows.subList(0, half), false));
        } else if (!part.substituted()) {
            log(e, "A delivery result was refused by the database; it is recorded as an internal error");
            todo.push(new Part<>(List.of(substitute.apply(rows.get(0), e)), true));
        } else {
            // the substitute holds nothing of the receiver's: a refusal here is a bug, not worth a loop
            log(
                    e,
                    "Gave up recording a delivery result whose internal-error form was refused too; its lease will "
                            + "expire and it will be sent again");
        }
    }

    /**
     * A stack trace only for a bug; for a refusal its SQLSTATE and the first line of its message say it all.
     */
    public static void log(Exception e, String what) {
        if (e instanceof RuntimeException) {
            LOG.error(what, e);
        } else {
            SQLException sql = (SQLException) e;
            LOG.errorf("%s: SQLSTATE %s, %s", what, sql.getSQLState(), firstLine(sql.getMessage()));
        }
    }

    /** PostgreSQL's message without its "Detail: Failing row contains (…)", which quotes the row. */
    private static String firstLine(String message) {
        return message == null
                ? null
                : LogText.message(message.lines().findFirst().orElse(""));
    }

    private static <T> int remaining(Deque<Part<T>> todo) {
        return todo.stream().mapToInt(p -> p.rows().size()).sum();
    }

    /**
     * Whether the database refused the rows for what they hold, so that other rows would be written: data exceptions
     * (SQLSTATE class 22: a 0x00 in text, a value out of range), integrity violations (23: a CHECK), program limits
     * (54), and runtime exceptions (a bug met while binding a row). Everything else, connection failures (08),
     * shutdown (57), lack of resources (53), a pool timeout (no SQLSTATE), is about the database, not the rows.
     */
    public static boolean refused(Exception e) {
        if (e instanceof RuntimeException) {
            return true;
        }
        String state = ((SQLException) e).getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }
}
