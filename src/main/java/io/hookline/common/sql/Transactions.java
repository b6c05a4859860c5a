package io.hookline.common.sql;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * "Run this in a transaction" for plain JDBC work outside JTA (the queue's own pool, retention): a connection from
 * the pool, auto-commit off, commit when the work returns, roll back when it throws anything, auto-commit as it was
 * before the connection goes back. A failure of the rollback or of the restore is attached to the work's exception
 * as suppressed, never thrown in its place.
 */
public final class Transactions {
    private Transactions() {}

    /** Work on the transaction's connection. */
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    public static <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            T result;
            try {
                result = work.run(c);
                c.commit();
            } catch (Throwable e) {
                try {
                    c.rollback();
                } catch (SQLException | RuntimeException rollback) {
                    e.addSuppressed(rollback);
                }
                try {
                    c.setAutoCommit(autoCommit);
                } catch (SQLException | RuntimeException restore) {
                    e.addSuppressed(restore);
                }
                throw e;
            }
            c.setAutoCommit(autoCommit);
            return result;
        }
    }
}
