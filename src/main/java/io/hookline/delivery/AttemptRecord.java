package io.hookline.delivery;

import java.time.Instant;

/** One attempt as the log keeps it. {@code errorClass} is null on success. */
public record AttemptRecord(
        Instant startedAt,
        int durationMs,
        Integer responseStatus,
        String responseBody,
        String errorClass,
        String errorMessage) {

    public boolean succeeded() {
        return errorClass == null;
    }
}
