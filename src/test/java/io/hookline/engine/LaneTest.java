package io.hookline.engine;

import io.hookline.testsupport.UnitTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@UnitTest
class LaneTest {
    static final int LIMIT = 2;
    final Lane<String> lane = new Lane<>();

    @Test
    void claims_start_up_to_the_limit_then_a_fresh_lane_keeps_the_next_ones_at_hand() {
        assertInstanceOf(Lane.Admission.Start.class, lane.admit("a", LIMIT));
        assertInstanceOf(Lane.Admission.Start.class, lane.admit("b", LIMIT));
        assertInstanceOf(Lane.Admission.Queued.class, lane.admit("c", LIMIT));
        assertInstanceOf(Lane.Admission.Queued.class, lane.admit("d", LIMIT));
        // at hand are at most as many as the limit: the next is given back, due again in at least a second
        Lane.Admission.Defer defer = assertInstanceOf(Lane.Admission.Defer.class, lane.admit("e", LIMIT));
        assertEquals(Duration.ofSeconds(1), defer.delay());
        assertFalse(lane.saturated(LIMIT), "a fast lane is worth claiming for");
    }

    @Test
    void a_finished_request_hands_its_slot_to_the_claim_waiting_longest() {
        lane.admit("a", LIMIT);
        lane.admit("b", LIMIT);
        lane.admit("c", LIMIT);
        lane.admit("d", LIMIT);
        assertEquals("c", lane.finish(20));
        assertEquals("d", lane.finish(20));
        assertNull(lane.finish(20));
        assertFalse(lane.retired(), "one request is still on the wire");
        assertNull(lane.finish(null));
        assertTrue(lane.retired(), "the last request ended and nothing waits");
        assertInstanceOf(Lane.Admission.Retired.class, lane.admit("x", LIMIT));
    }

    @Test
    void a_slow_endpoint_at_its_limit_gets_claims_deferred_by_about_one_response_time_and_is_saturated() {
        lane.admit("a", LIMIT);
        lane.admit("b", LIMIT);
        lane.finish(5_000); // one slow answer: the average starts there
        lane.admit("c", LIMIT); // takes the freed slot
        Lane.Admission.Defer defer = assertInstanceOf(Lane.Admission.Defer.class, lane.admit("d", LIMIT));
        assertEquals(Duration.ofMillis(5_000), defer.delay());
        assertTrue(lane.saturated(LIMIT));
    }

    @Test
    void the_deferral_is_kept_within_one_and_thirty_seconds_and_follows_a_moving_average() {
        lane.admit("a", LIMIT);
        lane.admit("b", LIMIT);
        lane.finish(600_000);
        lane.admit("c", LIMIT);
        assertEquals(Duration.ofSeconds(30), ((Lane.Admission.Defer) lane.admit("d", LIMIT)).delay());
        // 0.8 × 600,000 + 0.2 × 0 = 480,000 ms: still slow, still capped
        lane.finish(0);
        lane.admit("e", LIMIT);
        assertEquals(Duration.ofSeconds(30), ((Lane.Admission.Defer) lane.admit("f", LIMIT)).delay());
    }

    @Test
    void stopping_takes_every_waiting_claim_out() {
        lane.admit("a", LIMIT);
        lane.admit("b", LIMIT);
        lane.admit("c", LIMIT);
        lane.admit("d", LIMIT);
        assertEquals(List.of("c", "d"), lane.drainWaiting());
        assertNull(lane.finish(10));
    }
}
