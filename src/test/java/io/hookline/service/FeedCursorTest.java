package io.hookline.service;

import io.hookline.testsupport.UnitTest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@UnitTest
class FeedCursorTest {

    @Test
    void a_cursor_reads_back_as_itself() {
        for (FeedCursor c : new FeedCursor[] {
            FeedCursor.START,
            new FeedCursor(123456, "evt_01jdx8k2m3n4p5q6r7s8t9v0w1"),
            new FeedCursor(Long.MAX_VALUE, ""),
            new FeedCursor(7, "x".repeat(64))
        }) {
            String wire = c.encode();
            assertTrue(wire.matches("[A-Za-z0-9_-]+"), wire);
            assertTrue(wire.length() <= FeedCursor.MAX_LENGTH, wire);
            assertEquals(Optional.of(c), FeedCursor.decode(wire));
        }
    }

    @Test
    void the_wire_form_is_base64url_of_xid_dot_id() {
        // computed outside Java: printf '123456.evt_01jdx8k2m3n4p5q6r7s8t9v0w1' | base64 | tr '+/' '-_' | tr -d =
        assertEquals(
                "MTIzNDU2LmV2dF8wMWpkeDhrMm0zbjRwNXE2cjdzOHQ5djB3MQ",
                new FeedCursor(123456, "evt_01jdx8k2m3n4p5q6r7s8t9v0w1").encode());
    }

    @Test
    void anything_else_is_not_a_cursor() {
        for (String bad : new String[] {
            null,
            "",
            "not a cursor",
            "MTI=", // padding: never handed out
            "YWJj", // "abc"
            "MTI", // "12"
            "LmV2dF8x", // ".evt_1"
            "MDEyLmV2dF8x", // "012.evt_1": a leading zero
            "LTEuZXZ0XzE", // "-1.evt_1"
            "OTk5OTk5OTk5OTk5OTk5OTk5OS4", // "9999999999999999999.": over 2^63 - 1
            "MTIzLmV2dF8k", // "123.evt_$"
            "A",
            "x".repeat(FeedCursor.MAX_LENGTH + 1)
        }) {
            assertEquals(Optional.empty(), FeedCursor.decode(bad), bad);
        }
    }
}
