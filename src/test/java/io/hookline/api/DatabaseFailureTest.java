package io.hookline.api;

import io.hookline.api.DatabaseFailure.Kind;
import io.hookline.testsupport.UnitTest;
import java.net.ServerSocket;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@UnitTest
class DatabaseFailureTest {

    @Test
    void a_refused_connection_from_the_real_driver_is_unavailable_even_when_wrapped() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        SQLException refused = null;
        try {
            DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + closedPort + "/x?connectTimeout=2");
        } catch (SQLException e) {
            refused = e;
        }
        assertEquals(
                Optional.of(Kind.UNAVAILABLE),
                kind(new IllegalStateException(
                        "publishing failed", new SQLException("Exception while creating new connection", refused))));
    }

    @Test
    void connection_states_and_the_pool_timeout_are_unavailable() {
        for (String state : new String[] {"08001", "08006", "08003", "57P01", "57P02", "57P03", "53300"}) {
            assertEquals(Optional.of(Kind.UNAVAILABLE), kind(new SQLException("gone", state)), state);
        }
        assertEquals(Optional.of(Kind.UNAVAILABLE), kind(new SQLTransientConnectionException("no connection")));
        // Agroal's two messages, word for word
        assertEquals(
                Optional.of(Kind.UNAVAILABLE),
                kind(new RuntimeException(new SQLException("Sorry, acquisition timeout!"))));
        assertEquals(
                Optional.of(Kind.UNAVAILABLE),
                kind(new SQLException("Acquisition timeout while waiting for new connection", new TimeoutException())));
        assertEquals(
                Optional.of(Kind.UNAVAILABLE),
                kind(new JDBCConnectionException(
                        "Unable to acquire JDBC Connection",
                        new PSQLException("refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT))));
    }

    @Test
    void a_connection_lost_during_commit_is_unavailable_though_the_driver_error_is_only_suppressed() {
        // what Narayana throws when the connection goes away during commit: the I/O error is suppressed, no cause
        RuntimeException rollback = new RuntimeException("ARJUNA016053: Could not commit transaction.");
        rollback.addSuppressed(
                new PSQLException("An I/O error occurred while sending to the backend.", PSQLState.CONNECTION_FAILURE));
        assertEquals(Optional.of(Kind.UNAVAILABLE), kind(new IllegalStateException("wrapped", rollback)));
    }

    @Test
    void a_data_exception_is_unstorable_with_its_state() {
        Optional<DatabaseFailure> found = DatabaseFailure.of(new IllegalStateException(
                new PSQLException("invalid byte sequence for encoding \"UTF8\": 0x00", PSQLState.DATA_ERROR)));
        assertTrue(found.isPresent());
        assertEquals(Kind.UNSTORABLE, found.get().kind());
        assertEquals("22000", found.get().sqlState());
        assertEquals(Optional.of(Kind.UNSTORABLE), kind(new SQLException("x", "22021")));
        assertEquals(Optional.of(Kind.UNSTORABLE), kind(new SQLException("x", "22P05")));
    }

    @Test
    void other_failures_are_not_the_databases_and_a_cause_cycle_ends() {
        assertEquals(Optional.empty(), kind(new IllegalStateException("a bug")));
        assertEquals(Optional.empty(), kind(new SQLException("serialization failure", "40001")));
        assertEquals(Optional.empty(), kind(new SQLException("syntax error", "42601")));
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertEquals(Optional.empty(), kind(a));
    }

    private static Optional<Kind> kind(Throwable t) {
        return DatabaseFailure.of(t).map(DatabaseFailure::kind);
    }
}
