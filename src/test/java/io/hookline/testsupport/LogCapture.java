package io.hookline.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/** Every log record written while it is open, from any thread and logger. */
public final class LogCapture extends Handler implements AutoCloseable {
    /** One captured record: level, logger, formatted message and the thrown exception, if any. */
    public record Line(Level level, String logger, String message, Throwable thrown) {
        @Override
        public String toString() {
            return level + " " + logger + " " + message + (thrown == null ? "" : " " + thrown);
        }
    }

    private final List<Line> lines = new ArrayList<>();

    private LogCapture() {}

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        lines.add(new Line(record.getLevel(), record.getLoggerName(), message, record.getThrown()));
    }

    public synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    /** Records at WARNING (WARN) or above, or with an exception attached. */
    public synchronized List<Line> warningsAndErrors() {
        return lines.stream()
                .filter(l -> l.level().intValue() >= Level.WARNING.intValue() || l.thrown() != null)
                .toList();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
