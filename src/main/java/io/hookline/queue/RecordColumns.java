package io.hookline.queue;

import io.hookline.common.sql.Columns;
import io.hookline.common.sql.Prepared;
import io.hookline.store.DeliveryStatus;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Function;

/**
 * A batch of outcomes as the columns of {@code sql/queue/record.sql}: one array per column, one element per outcome.
 * What each kind of outcome writes: the attempt columns only when an attempt was made, {@code next_at} only for a
 * retry, {@code completed_at} for every final state. Stateless.
 */
final class RecordColumns {
    private RecordColumns() {}

    static Prepared bind(Prepared record, Columns<Outcome> outcomes, Instant now) throws SQLException {
        return record.set("ids", outcomes.text(o -> o.claim().deliveryId()))
                .set("tokens", outcomes.bigint(o -> o.claim().leaseToken()))
                .set("statuses", outcomes.text(o -> status(o).value()))
                .set("next_at", outcomes.timestamptz(o -> o instanceof Outcome.Retry r ? r.nextAttemptAt() : null))
                .set("completed_at", outcomes.timestamptz(o -> o instanceof Outcome.Retry ? null : now))
                .set("started_at", outcomes.timestamptz(o -> attempt(o, AttemptRecord::startedAt)))
                .set("durations", outcomes.integer(o -> attempt(o, AttemptRecord::durationMs)))
                .set("codes", outcomes.integer(o -> attempt(o, AttemptRecord::responseStatus)))
                // the sender already made these storable; checked again here, where a 0x00 would fail the batch
                .set("bodies", outcomes.text(o -> attempt(o, a -> LogText.storable(a.responseBody()))))
                .set("error_classes", outcomes.text(o -> attempt(o, RecordColumns::errorClass)))
                .set("error_messages", outcomes.text(RecordColumns::errorMessage));
    }

    private static DeliveryStatus status(Outcome o) {
        if (o instanceof Outcome.Succeeded) {
            return DeliveryStatus.SUCCEEDED;
        } else if (o instanceof Outcome.Retry) {
            return DeliveryStatus.PENDING;
        } else if (o instanceof Outcome.Failed) {
            return DeliveryStatus.FAILED;
        } else if (o instanceof Outcome.Cancelled) {
            return DeliveryStatus.CANCELLED;
        }
        throw new IllegalArgumentException("released claims go through release(), not record()");
    }

    /** A part of the attempt, or null when the outcome made none. */
    private static <V> V attempt(Outcome o, Function<AttemptRecord, V> part) {
        return o instanceof Outcome.Attempted a ? part.apply(a.attempt()) : null;
    }

    private static String errorClass(AttemptRecord a) {
        return a.errorClass() == null ? null : a.errorClass().value();
    }

    private static String errorMessage(Outcome o) {
        if (o instanceof Outcome.Cancelled c) {
            return LogText.message(c.reason());
        }
        return attempt(o, a -> LogText.message(a.errorMessage()));
    }
}
