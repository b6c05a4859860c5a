package io.hookline.service;

import io.agroal.api.AgroalDataSource;
import io.hookline.common.sql.Columns;
import io.hookline.common.sql.Prepared;
import io.hookline.common.sql.Sql;
import io.hookline.contract.FeedApi;
import io.hookline.contract.Page;
import io.hookline.contract.ProblemException;
import io.hookline.contract.Validation;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;

/**
 * The event feed (GET /v1/events): a tenant's events, oldest first, for consumers who poll instead of running an
 * endpoint. One indexed query per read; no dispatcher involved.
 * <p>
 * <b>Why no event is ever skipped.</b> Ids are minted before the insert and transactions commit in any order, so
 * ordering by id (or created_at) would let an event commit behind a cursor already handed out. Each event row records
 * the transaction that inserted it ({@code event.xid}, V13), the feed is ordered by (xid, id), and a read returns only
 * events whose xid is below the horizon, {@code pg_snapshot_xmin(pg_current_snapshot())}: the oldest transaction still
 * running in the cluster. Every transaction below the horizon has finished (committed or rolled back), and any
 * transaction that writes later gets a larger xid than any seen now, so the set of events below a horizon never
 * changes (but for retention deleting old ones), and the horizon only moves forward. A cursor is either the last
 * event returned (below the horizon of that read) or the horizon itself: nothing can ever be inserted at or behind
 * it. An event is held back while an older write transaction is open: Hookline's own last milliseconds; a session left
 * "idle in transaction" with a write stalls the feed (never loses anything) until it ends.
 * <p>
 * <b>Long polling.</b> A read that finds nothing waits (up to {@code wait} seconds) holding neither a connection nor a
 * thread: {@link FeedWaiters} wakes it when the tenant publishes on this replica, or when the horizon moves (checked
 * every {@code hookline.feed.poll-interval}, which also covers publishes on other replicas); then it reads again.
 */
@ApplicationScoped
@Startup // loads its statement at start-up: a missing file fails the start, not the first read of the feed
public class EventFeed {
    /** The longest event type (the publish rule, contract.PublishRequest.EVENT_TYPE). */
    static final int MAX_EVENT_TYPE = 255;

    public static final int MAX_WAIT_SECONDS = 30;
    public static final int MAX_TYPES = 100;
    /**
     * Index entries one read looks at, at most, when a types filter passes over other events: 10,000 cost 3 to 7 ms
     * (index-only scan, PostgreSQL 15, 1,000,000 events). Without a filter a read looks at limit + 1 entries.
     */
    static final int SCAN = 10_000;

    /**
     * The one statement of a read (sql/feed/read.sql): the horizon, where the scan stopped and the page. Its
     * {@code horizon} is taken from the statement's own snapshot, so every event below it that was committed is
     * visible to the scan; {@code scanned} is served by the {@code event_feed} index (V13) as an index-only scan, type
     * filter included. xid8 values go in and out as text.
     */
    static final Sql READ = Sql.load("feed/read.sql");

    /** A filter entry: an event type, or a prefix ending in '*' (as in a webhook's eventTypes). */
    private static final Pattern TYPE_FILTER = Pattern.compile("[a-z0-9_.-]*\\*?");

    @Inject
    AgroalDataSource dataSource;

    @Inject
    FeedWaiters waiters;

    /**
     * A CDI event: the current transaction inserted an event of {@code tenant} into the feed. {@link EventService}
     * fires it; {@link FeedWaiters} observes it after the commit to wake this tenant's long polls at once.
     */
    public record Appended(String tenant) {}

    /** The event types a consumer asked for: everything, or the exact types and the prefixes of its filter. */
    public record Types(boolean all, String[] exact, String[] prefixes) {
        public static final Types ALL = new Types(true, new String[0], new String[0]);
    }

    /** A checked request: whose feed, from where, which types, how many, how long to wait for one. */
    public record Query(String tenant, FeedCursor after, Types types, int limit, Duration maxWait) {}

    /** What one read found: the page, the horizon it was read below, and whether it read up to the horizon. */
    record Read(List<FeedApi.Item> items, FeedCursor next, long horizon, boolean caughtUp) {
        FeedApi.Page page() {
            return new FeedApi.Page(items, next.encode());
        }
    }

    /**
     * Checks the query parameters of GET /v1/events (as strings: JAX-RS answers an unconvertible parameter with a 404)
     * and names every one that is wrong in one 422.
     */
    public Query query(String tenant, String after, String types, String limit, String wait) {
        Validation v = new Validation();
        FeedCursor cursor = FeedCursor.START;
        if (after != null && !after.isEmpty()) {
            cursor = FeedCursor.decode(after).orElse(null);
            if (cursor == null) {
                v.fail("after", "must be the next value of a previous answer of this feed");
            }
        }
        Types filter = types(types, v);
        int pageSize = integer(limit, Page.DEFAULT_LIMIT, 1, Page.MAX_LIMIT, "limit", v);
        int seconds = integer(wait, 0, 0, MAX_WAIT_SECONDS, "wait", v);
        v.throwIfInvalid();
        return new Query(tenant, cursor, filter, pageSize, Duration.ofSeconds(seconds));
    }

    private static int integer(String text, int absent, int min, int max, String field, Validation v) {
        if (text == null || text.isEmpty()) {
            return absent;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // failed below
        }
        v.fail(field, "must be an integer between " + min + " and " + max);
        return absent;
    }

    /** Comma-separated entries, each a type or a prefix ending in '*', at most {@link #MAX_TYPES}. */
    private static Types types(String text, Validation v) {
        if (text == null || text.isEmpty()) {
            return Types.ALL;
        }
        String[] entries = text.split(",", -1);
        if (entries.length > MAX_TYPES) {
            v.fail("types", "must have at most " + MAX_TYPES + " entries (has " + entries.length + ")");
            return Types.ALL;
        }
        LinkedHashSet<String> exact = new LinkedHashSet<>();
        LinkedHashSet<String> prefixes = new LinkedHashSet<>();
        for (int i = 0; i < entries.length; i++) {
            String t = entries[i];
            if (t.isEmpty()
                    || t.length() > MAX_EVENT_TYPE
                    || !TYPE_FILTER.matcher(t).matches()) {
                v.fail(
                        "types[" + i + "]",
                        "must be 1 to " + MAX_EVENT_TYPE + " characters of a-z, 0-9, '_', '.', '-', "
                                + "optionally ending in '*' (e.g. transaction.*)");
            } else if (t.endsWith("*")) {
                prefixes.add(t.substring(0, t.length() - 1));
            } else {
                exact.add(t);
            }
        }
        if (prefixes.contains("")) {
            return Types.ALL; // "*" matches every type
        }
        return new Types(false, exact.toArray(String[]::new), prefixes.toArray(String[]::new));
    }

    /**
     * The page after {@code query.after()}; when it is empty, waits for one up to {@code query.maxWait()}, then answers
     * the empty page with its {@code next}. Never blocks the caller: reads run on the worker pool, waits hold no
     * thread.
     */
    public Uni<FeedApi.Page> poll(Query query) {
        CompletableFuture<FeedApi.Page> answer = new CompletableFuture<>();
        long deadline = System.nanoTime() + query.maxWait().toNanos();
        step(query, query.after(), deadline, true, answer);
        return Uni.createFrom().completionStage(answer);
    }

    /**
     * Runs {@link #next} as a new task on the worker pool: a long poll is a chain of tasks, not a growing stack, and
     * never reads on an event loop or on the thread that woke it.
     */
    private void step(
            Query query, FeedCursor from, long deadline, boolean publishWakes, CompletableFuture<FeedApi.Page> answer) {
        Executor worker = Infrastructure.getDefaultWorkerPool();
        try {
            worker.execute(() -> next(query, from, deadline, publishWakes, answer));
        } catch (RejectedExecutionException e) {
            answer.completeExceptionally(e); // shutting down
        }
    }

    /**
     * One read, then: answer, read on at once (the scan stopped before the horizon), or wait and come back.
     *
     * @param publishWakes whether a publish of the tenant may end the wait; after such a wake found nothing (the
     *                     event is held back behind an older transaction), only the horizon moving may
     */
    private void next(
            Query query, FeedCursor from, long deadline, boolean publishWakes, CompletableFuture<FeedApi.Page> answer) {
        if (answer.isDone()) {
            return; // the caller went away
        }
        Read read;
        try {
            read = read(query.tenant(), from, query.types(), query.limit());
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
            return;
        }
        long left = deadline - System.nanoTime();
        if (!read.items().isEmpty() || left <= 0) {
            answer.complete(read.page());
        } else if (!read.caughtUp()) {
            step(query, read.next(), deadline, publishWakes, answer);
        } else {
            waiters.await(query.tenant(), read.horizon(), Duration.ofNanos(left), publishWakes)
                    .thenAccept(wake -> {
                        if (wake == FeedWaiters.Wake.TIMEOUT || wake == FeedWaiters.Wake.SHUTDOWN) {
                            answer.complete(read.page()); // the horizon did not move: a read would find the same
                        } else {
                            step(query, read.next(), deadline, wake != FeedWaiters.Wake.PUBLISHED, answer);
                        }
                    });
        }
    }

    /** One read: the statement {@link #READ} and what it says about the next cursor. */
    Read read(String tenant, FeedCursor from, Types types, int limit) {
        int scan = types.all() ? limit + 1 : SCAN;
        List<FeedApi.Item> items = new ArrayList<>();
        List<FeedCursor> positions = new ArrayList<>();
        long horizon = 0;
        long scanned = 0;
        FeedCursor last = null;
        try (Connection c = dataSource.getConnection();
                Prepared ps = READ.prepare(c)) {
            ps.set("all", types.all())
                    .set("exact", Columns.text(c, Arrays.asList(types.exact())))
                    .set("prefixes", Columns.text(c, Arrays.asList(types.prefixes())))
                    .set("tenant", tenant)
                    .set("after_xid", Long.toString(from.xid())) // an xid8, cast in the statement
                    .set("after_id", from.id())
                    .set("scan", scan)
                    .set("page_size", limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    horizon = Long.parseLong(rs.getString(1));
                    scanned = rs.getLong(2);
                    if (rs.getString(3) != null) {
                        last = new FeedCursor(Long.parseLong(rs.getString(3)), rs.getString(4));
                    }
                    if (rs.getString(6) != null) {
                        positions.add(new FeedCursor(Long.parseLong(rs.getString(5)), rs.getString(6)));
                        items.add(new FeedApi.Item(
                                rs.getString(6),
                                rs.getString(7),
                                rs.getObject(8, OffsetDateTime.class).toInstant(),
                                new String(rs.getBytes(9), StandardCharsets.UTF_8)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the event feed failed", e);
        }
        if (from.xid() > horizon) {
            // every cursor handed out is at or below the horizon of its read, and the horizon only moves forward
            throw ProblemException.invalid(
                    "after",
                    "is ahead of this feed: it was not handed out by this database (restored from a backup?); "
                            + "start again without after");
        }
        if (items.size() > limit) {
            return new Read(items.subList(0, limit), positions.get(limit - 1), horizon, false);
        }
        if (scanned == scan && last != null) {
            return new Read(items, last, horizon, false); // stopped before the horizon: more to look at
        }
        // everything below the horizon was looked at: the next read starts at the horizon (every item returned is
        // below it), unless the cursor already is there
        FeedCursor next = from.xid() < horizon
                ? new FeedCursor(horizon, "")
                : positions.isEmpty() ? from : positions.get(positions.size() - 1);
        return new Read(items, next, horizon, true);
    }
}
