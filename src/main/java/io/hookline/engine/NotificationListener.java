package io.hookline.engine;

import io.hookline.queue.DeliveryQueue;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * LISTENs for the publish transaction's NOTIFY on a connection of its own (a LISTEN holds its connection for ever, so
 * it is not taken from the pool) and wakes the dispatcher: a new event goes out within milliseconds instead of at the
 * next poll. Any number of notifications between two wake-ups count as one. Reconnects after a database outage; the
 * scheduled poll covers the gap.
 */
public class NotificationListener implements Runnable {
    private static final Logger LOG = Logger.getLogger(NotificationListener.class);

    private final String url;
    private final Properties credentials;
    private final Runnable wake;
    private volatile boolean running = true;
    private volatile Connection connection;

    public NotificationListener(String url, String user, String password, Runnable wake) {
        this.url = url;
        this.credentials = new Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        credentials.setProperty("ApplicationName", "hookline-listener");
        this.wake = wake;
    }

    @Override
    public void run() {
        boolean warned = false;
        while (running) {
            try (Connection c = DriverManager.getConnection(url, credentials)) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + DeliveryQueue.CHANNEL);
                }
                if (warned) {
                    LOG.info("LISTEN connection to PostgreSQL restored");
                    warned = false;
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications != null && notifications.length > 0) {
                        wake.run();
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                if (!warned) {
                    LOG.warnf("LISTEN connection to PostgreSQL lost (%s); polling until it is back", e.getMessage());
                    warned = true;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public void stop() {
        running = false;
    }
}
