package io.hookline.engine;

import io.hookline.store.ErrorClass;
import io.hookline.testsupport.UnitTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A lane's limit, its claims at hand and its pauses, on a clock the test moves (no sleeps). */
@UnitTest
class LaneTest {
    final long[] nanos = {1_000_000_000L};

    Lane<String> lane(int initial, int ceiling, int maxWaiting) {
        return lane(initial, ceiling, maxWaiting, Duration.ofSeconds(1));
    }

    Lane<String> lane(int initial, int ceiling, int maxWaiting, Duration keep) {
        return new Lane<>(new Lane.Limits(initial, ceiling, maxWaiting, Duration.ofSeconds(1), keep), () -> nanos[0]);
    }

    void advance(long millis) {
        nanos[0] += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    static EndpointSignals.Sample ok(long millis) {
        return EndpointSignals.Sample.of(200, null, millis, null);
    }

    static EndpointSignals.Sample status(int status, long millis, Duration retryAfter) {
        return EndpointSignals.Sample.of(status, ErrorClass.HTTP_STATUS, millis, retryAfter);
    }

    static EndpointSignals.Sample timeout(long millis) {
        return EndpointSignals.Sample.of(null, ErrorClass.TIMEOUT, millis, null);
    }

    /** Keeps the lane full: one claim in for every one that ended, so it always uses its whole limit. */
    static void busy(Lane<String> lane, int answers, EndpointSignals.Sample sample) {
        for (int i = 0; i < answers; i++) {
            while (lane.admit("x", null) instanceof Lane.Admission.Start) {
                // fill every free slot
            }
            lane.drainWaiting();
            lane.finish(sample);
        }
    }

    @Test
    void a_new_lane_starts_its_initial_limit_keeps_as_many_at_hand_and_then_has_no_room() {
        Lane<String> lane = lane(2, 8, 100);
        assertEquals(4, lane.room());
        assertInstanceOf(Lane.Admission.Start.class, lane.admit("a", null));
        assertInstanceOf(Lane.Admission.Start.class, lane.admit("b", null));
        assertInstanceOf(Lane.Admission.Queued.class, lane.admit("c", null));
        assertInstanceOf(Lane.Admission.Queued.class, lane.admit("d", null));
        assertEquals(0, lane.room(), "the claim skips it now");
        // before its first answer the lane does not know its speed: one more goes back, due again at once
        Lane.Admission.Defer defer = assertInstanceOf(Lane.Admission.Defer.class, lane.admit("e", null));
        assertEquals(Duration.ZERO, defer.delay());
        assertFalse(defer.paused());
    }

    @Test
    void a_finished_request_hands_its_slot_to_the_claim_waiting_longest() {
        Lane<String> lane = lane(2, 2, 100);
        lane.admit("a", null);
        lane.admit("b", null);
        lane.admit("c", null);
        lane.admit("d", null);
        assertEquals(List.of("c"), lane.finish(ok(20)).start());
        assertEquals(List.of("d"), lane.finish(ok(20)).start());
        assertEquals(List.of(), lane.finish(ok(20)).start());
        assertEquals(1, lane.active());
    }

    @Test
    void the_limit_grows_by_one_per_fast_answer_while_the_lane_is_in_use_up_to_the_ceiling() {
        Lane<String> lane = lane(4, 10, 100);
        busy(lane, 3, ok(1));
        assertEquals(7, lane.limit());
        busy(lane, 20, ok(1));
        assertEquals(10, lane.limit(), "never above the replica's ceiling");
    }

    @Test
    void the_limit_does_not_grow_while_the_lane_uses_less_than_half_of_it() {
        Lane<String> lane = lane(8, 100, 100);
        for (int i = 0; i < 50; i++) {
            lane.admit("a", null);
            lane.finish(ok(1));
        }
        assertEquals(8, lane.limit());
    }

    @Test
    void a_timeout_halves_the_limit_once_for_every_request_sent_before_the_cut() {
        Lane<String> lane = lane(8, 100, 100);
        for (int i = 0; i < 8; i++) {
            lane.admit("r" + i, null);
        }
        lane.admit("waiting", null);
        advance(2000);
        Lane.Finished<String> first = lane.finish(timeout(2000));
        assertEquals(EndpointSignals.Drop.TIMEOUT, first.cut());
        assertEquals(4, lane.limit());
        assertEquals(List.of(), first.start(), "7 still on the wire, over the new limit: the waiting claim waits");
        // the other requests of that round were sent under the old limit: they do not cut it again
        for (int i = 0; i < 3; i++) {
            assertNull(lane.finish(timeout(2000)).cut());
        }
        assertEquals(4, lane.limit());
        assertEquals(List.of("waiting"), lane.finish(timeout(2000)).start(), "3 on the wire: a slot under 4");
    }

    @Test
    void answers_429_and_503_and_refused_connections_cut_the_limit_as_drops() {
        Lane<String> lane = lane(16, 100, 100);
        for (int i = 0; i < 16; i++) {
            lane.admit("r" + i, null);
        }
        advance(10);
        assertEquals(
                EndpointSignals.Drop.THROTTLED,
                lane.finish(status(429, 5, null)).cut());
        assertEquals(8, lane.limit());
        advance(10);
        assertEquals(
                EndpointSignals.Drop.UNAVAILABLE,
                lane.finish(status(503, 5, null)).cut());
        assertEquals(4, lane.limit());
        advance(10);
        assertEquals(
                EndpointSignals.Drop.CONNECTION,
                lane.finish(EndpointSignals.Sample.of(null, ErrorClass.CONNECTION, 5, null))
                        .cut());
        assertEquals(2, lane.limit());
    }

    @Test
    void other_failures_say_nothing_about_load_and_leave_the_limit_alone() {
        Lane<String> lane = lane(4, 100, 100);
        busy(lane, 10, status(500, 1, null));
        busy(lane, 10, EndpointSignals.Sample.of(null, ErrorClass.TLS, 1, null));
        busy(lane, 10, EndpointSignals.Sample.notSent());
        assertEquals(4, lane.limit());
    }

    @Test
    void rising_latency_cuts_the_limit_and_steady_latency_does_not() {
        Lane<String> lane = lane(8, 100, 100);
        busy(lane, 30, ok(10));
        int grown = lane.limit();
        assertTrue(grown > 8, "fast, steady answers grow it: " + grown);
        EndpointSignals.Drop cut = null;
        int before = 0;
        for (int i = 0; i < 5 && cut == null; i++) {
            advance(100);
            lane.admit("x", null);
            before = lane.limit();
            cut = lane.finish(ok(100)).cut();
        }
        assertEquals(EndpointSignals.Drop.LATENCY, cut, "answers ten times slower than usual");
        assertEquals(before / 2, lane.limit());
    }

    @Test
    void a_retry_after_pauses_the_lane_gives_its_waiting_claims_back_and_leaves_no_room_until_it_ends() {
        Lane<String> lane = lane(2, 100, 100);
        lane.admit("a", null);
        lane.admit("b", null);
        lane.admit("c", null);
        lane.admit("d", null);
        advance(5);
        Lane.Finished<String> f = lane.finish(status(429, 5, Duration.ofSeconds(30)));
        assertEquals(EndpointSignals.Drop.THROTTLED, f.cut());
        assertTrue(f.paused());
        assertEquals(List.of(), f.start());
        assertEquals(List.of("c", "d"), f.giveBack());
        assertEquals(Duration.ofSeconds(30), f.giveBackAfter(), "due again when the pause ends");
        assertEquals(0, lane.room());
        assertTrue(lane.paused());
        advance(10_000);
        Lane.Admission.Defer defer = assertInstanceOf(Lane.Admission.Defer.class, lane.admit("e", null));
        assertTrue(defer.paused());
        assertEquals(Duration.ofSeconds(20), defer.delay());
        assertTrue(lane.finish(ok(5)).start().isEmpty(), "nothing starts during the pause");
        advance(20_000);
        assertFalse(lane.paused());
        assertInstanceOf(Lane.Admission.Start.class, lane.admit("f", null));
    }

    @Test
    void a_pause_is_at_most_five_minutes_and_retry_after_counts_on_429_and_503_only() {
        Lane<String> lane = lane(2, 100, 100);
        lane.admit("a", null);
        lane.admit("b", null);
        assertEquals(
                EndpointSignals.MAX_PAUSE,
                lane.finish(status(503, 5, Duration.ofHours(1))).giveBackAfter());
        Lane<String> other = lane(2, 100, 100);
        other.admit("a", null);
        assertFalse(other.finish(status(500, 5, Duration.ofSeconds(30))).paused());
        assertFalse(other.paused());
    }

    @Test
    void the_webhooks_own_cap_bounds_the_limit_whatever_the_lane_learned() {
        Lane<String> lane = lane(16, 100, 0);
        assertInstanceOf(Lane.Admission.Start.class, lane.admit("a", 2));
        assertInstanceOf(Lane.Admission.Start.class, lane.admit("b", 2));
        assertInstanceOf(Lane.Admission.Defer.class, lane.admit("c", 2));
        assertEquals(2, lane.limit());
        // the cap removed (PATCH maxConcurrency null): the next claim carries null
        assertInstanceOf(Lane.Admission.Start.class, lane.admit("d", null));
        assertEquals(16, lane.limit());
    }

    @Test
    void the_initial_limit_is_never_above_the_ceiling() {
        assertEquals(8, lane(64, 8, 100).limit());
    }

    @Test
    void a_fast_endpoint_keeps_what_it_starts_within_a_second_at_hand_up_to_the_replica_bound() {
        Lane<String> lane = lane(2, 2, 50);
        lane.admit("a", null);
        lane.finish(ok(1));
        lane.admit("b", null);
        lane.admit("c", null);
        for (int i = 0; i < 50; i++) {
            assertInstanceOf(Lane.Admission.Queued.class, lane.admit("w" + i, null));
        }
        Lane.Admission.Defer defer = assertInstanceOf(Lane.Admission.Defer.class, lane.admit("x", null));
        assertEquals(Duration.ZERO, defer.delay(), "a fast endpoint's claim is due again at once");
    }

    @Test
    void a_slow_endpoint_keeps_its_initial_limit_and_gives_back_what_it_cannot_start_within_a_second() {
        Lane<String> lane = lane(4, 100, 100);
        for (String c : List.of("a", "b", "c", "d")) {
            assertInstanceOf(Lane.Admission.Start.class, lane.admit(c, null));
        }
        for (String c : List.of("e", "f", "g", "h")) {
            assertInstanceOf(Lane.Admission.Queued.class, lane.admit(c, null));
        }
        advance(2000);
        // 2 s per answer: 4 in flight start 2 more within a second; the newest claims go back for about 2 s
        Lane.Finished<String> f = lane.finish(ok(2000));
        assertEquals(List.of("g", "h"), f.giveBack());
        assertEquals(Duration.ofSeconds(2), f.giveBackAfter());
        assertFalse(f.paused());
        assertEquals(List.of("e"), f.start());
        assertEquals(4, lane.limit(), "a slow endpoint does not grow past its initial limit");
        assertEquals(1, lane.room());
        assertInstanceOf(Lane.Admission.Queued.class, lane.admit("i", null));
        assertEquals(0, lane.room());
        Lane.Admission.Defer defer = assertInstanceOf(Lane.Admission.Defer.class, lane.admit("j", null));
        assertEquals(Duration.ofSeconds(2), defer.delay());
    }

    @Test
    void claims_already_held_go_back_only_once_they_could_not_start_within_the_keep_time() {
        Lane<String> lane = lane(4, 100, 100, Duration.ofSeconds(4));
        for (String c : List.of("a", "b", "c", "d", "e", "f", "g", "h")) {
            lane.admit(c, null);
        }
        advance(2000);
        // 4 in flight at 2 s per answer start 8 within 4 s: the 4 waiting stay, though a new one is not taken
        Lane.Finished<String> f = lane.finish(ok(2000));
        assertEquals(List.of(), f.giveBack());
        assertEquals(List.of("e"), f.start());
        assertEquals(0, lane.room());
    }

    @Test
    void a_deferral_is_kept_within_one_and_thirty_seconds() {
        Lane<String> lane = lane(1, 1, 100);
        lane.admit("a", null);
        lane.finish(ok(600_000));
        lane.admit("b", null);
        assertEquals(Duration.ofSeconds(30), ((Lane.Admission.Defer) lane.admit("c", null)).delay());
        Lane<String> quicker = lane(1, 1, 100);
        quicker.admit("a", null);
        quicker.finish(ok(300));
        quicker.admit("b", null);
        quicker.admit("c", null); // 1 × 1000 / 300: three at hand
        quicker.admit("d", null);
        quicker.admit("e", null);
        assertEquals(Duration.ofSeconds(1), ((Lane.Admission.Defer) quicker.admit("f", null)).delay());
    }

    @Test
    void an_idle_lane_is_retired_after_a_while_and_a_retired_lane_takes_nothing() {
        Lane<String> lane = lane(2, 2, 100);
        lane.admit("a", null);
        advance(Lanes.IDLE.toMillis() * 2);
        assertFalse(lane.retireIfIdle(Lanes.IDLE), "a request is on the wire");
        lane.finish(ok(1));
        assertFalse(lane.retireIfIdle(Lanes.IDLE), "it was just used");
        advance(Lanes.IDLE.toMillis());
        assertTrue(lane.retireIfIdle(Lanes.IDLE));
        assertInstanceOf(Lane.Admission.Retired.class, lane.admit("x", null));
    }

    @Test
    void stopping_takes_every_waiting_claim_out() {
        Lane<String> lane = lane(2, 2, 100);
        lane.admit("a", null);
        lane.admit("b", null);
        lane.admit("c", null);
        lane.admit("d", null);
        assertEquals(List.of("c", "d"), lane.drainWaiting());
        assertEquals(List.of(), lane.finish(ok(10)).start());
    }

    @Test
    void an_endpoint_that_stops_answering_is_slow_before_its_first_slow_answer_and_gives_back_what_it_took() {
        // (its requests on the wire cannot be called back: they end with their answer or timeout)
        Lane<String> lane = lane(4, 64, 256, Duration.ofSeconds(15));
        busy(lane, 200, ok(1)); // fast: the limit grew, the averages say 1 ms
        int grown = lane.limit();
        assertTrue(grown > 4, "grew to " + grown);
        lane.drainWaiting();
        while (lane.admit("x", null) instanceof Lane.Admission.Start) {
            // the endpoint now holds every request
        }
        for (int i = 0; i < 100; i++) {
            lane.admit("w" + i, null);
        }
        int waiting = lane.held() - lane.active();
        assertTrue(waiting >= 100, "all taken while it looked fast: " + waiting);
        assertTrue(lane.limit() > 4);
        advance(Lane.FAST_MILLIS);
        assertEquals(4, lane.limit(), "no answer for " + Lane.FAST_MILLIS + " ms: held at the initial limit");
        assertEquals(0, lane.room(), "and takes nothing more");
        assertFalse(lane.holdsLong(), "a pause of a busy replica, perhaps");
        advance(Lane.SILENT_MILLIS - Lane.FAST_MILLIS);
        assertTrue(lane.holdsLong(), "no answer for " + Lane.SILENT_MILLIS + " ms");
        // at 4 in flight and at least 1 s per answer, it starts 60 within the keep time (15 s): the rest goes back
        Lane.Trimmed<String> trimmed = lane.trim();
        assertEquals(waiting - 60, trimmed.back().size());
        assertTrue(trimmed.after().compareTo(Duration.ofSeconds(1)) >= 0, "after about one response time");
        lane.share(lane.active() + 10);
        assertEquals(50, lane.trim().back().size(), "and what its share leaves no room for");
    }

    @Test
    void a_lane_holds_no_more_than_its_share_and_gives_back_waiting_claims_when_it_shrinks() {
        Lane<String> lane = lane(4, 64, 256, Duration.ofSeconds(15));
        busy(lane, 200, ok(1));
        lane.drainWaiting();
        while (lane.active() > 0) {
            lane.finish(ok(1));
        }
        lane.share(10);
        assertEquals(10, lane.room(), "its share, as nothing is held");
        for (int i = 0; i < 10; i++) {
            lane.admit("c" + i, 3); // the webhook's maxConcurrency 3: 3 on the wire, 7 waiting
        }
        assertEquals(3, lane.active());
        assertEquals(10, lane.held());
        assertEquals(0, lane.room());
        assertInstanceOf(Lane.Admission.Defer.class, lane.admit("over", 3));
        lane.share(5);
        // a fast endpoint keeps them (they start within moments) and takes no more
        assertEquals(List.of(), lane.trim().back());
        assertEquals(0, lane.room());
        assertInstanceOf(Lane.Admission.Defer.class, lane.admit("more", 3));
        // one that stops answering gives back what its share leaves no room for, due at once for the others' sake
        advance(Lane.SILENT_MILLIS);
        Lane.Trimmed<String> trimmed = lane.trim();
        assertTrue(trimmed.overShare());
        assertEquals(List.of("c5", "c6", "c7", "c8", "c9"), trimmed.back(), "the newest go back");
        assertEquals(Duration.ZERO, trimmed.after());
        assertEquals(5, lane.held());
        lane.share(1);
        assertEquals(1, lane.limit(), "the share caps the limit in force too");
    }

    @Test
    void a_slow_success_does_not_grow_the_limit() {
        Lane<String> lane = lane(4, 64, 256);
        busy(lane, 300, ok(5000));
        assertEquals(4, lane.limit());
        // were the endpoint fast again, its limit would start from where it was, not from what slow answers grew
        assertEquals(4, lane.adaptiveLimit());
    }

    @Test
    void the_share_is_the_slots_over_the_endpoints_holding_claims() {
        assertEquals(256, Lanes.share(256, 1));
        assertEquals(12, Lanes.share(256, 20));
        assertEquals(1, Lanes.share(256, 1000));
        assertEquals(256, Lanes.share(256, 0));
    }
}
