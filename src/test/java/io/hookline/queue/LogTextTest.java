package io.hookline.queue;

import io.hookline.testsupport.UnitTest;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a receiver's bytes and the messages quoting it become before they are stored and logged. */
@UnitTest
class LogTextTest {

    @Test
    void a_nul_byte_becomes_the_replacement_character_and_the_rest_is_kept() {
        assertEquals("ok\uFFFDok", LogText.body("ok\0ok".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void malformed_utf8_is_replaced_and_valid_multibyte_text_is_kept() {
        byte[] bytes = {'o', 'k', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '(', (byte) 0xc3, (byte) 0xa9};
        assertEquals("ok\uFFFD\uFFFD\uFFFD(\u00e9", LogText.body(bytes));
        String emoji = "caf\u00e9 \u2615 \uD83D\uDE00";
        assertEquals(emoji, LogText.body(emoji.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void random_binary_never_yields_a_nul_or_an_unpaired_surrogate() {
        Random random = new Random(42);
        for (int n = 0; n < 200; n++) {
            byte[] bytes = new byte[4096];
            random.nextBytes(bytes);
            String text = LogText.body(bytes);
            assertTrue(text.chars().noneMatch(c -> c == 0), "NUL kept");
            assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(text), "not encodable as UTF-8");
        }
    }

    @Test
    void unpaired_surrogates_are_replaced_and_pairs_kept() {
        assertEquals("a\uFFFDb\uFFFDc\uD83D\uDE00", LogText.storable("a\uD800b\uDC00c\uD83D\uDE00"));
        assertEquals("\uFFFD", LogText.storable("\uD83D"));
    }

    @Test
    void text_that_is_already_storable_is_returned_as_is_and_null_stays_null() {
        String clean = "HTTP/1.1 200 OK\r\n\tfine";
        assertSame(clean, LogText.storable(clean));
        assertNull(LogText.storable(null));
        assertNull(LogText.message(null));
    }

    @Test
    void a_message_is_one_line_without_control_characters() {
        assertEquals(
                "invalid version format: A\uFFFD\uFFFDB\uFFFDC", LogText.message("invalid version format: A\r\nB\0C"));
    }

    @Test
    void a_long_message_is_cut_to_the_limit_with_an_ellipsis_and_a_short_one_is_not() {
        String cut = LogText.message("x".repeat(1_048_576));
        assertEquals(LogText.MESSAGE_LIMIT, cut.length());
        assertTrue(cut.endsWith("\u2026"));
        String exact = "y".repeat(LogText.MESSAGE_LIMIT);
        assertEquals(exact, LogText.message(exact));
    }

    @Test
    void a_cut_never_splits_a_surrogate_pair() {
        String text = "x".repeat(LogText.MESSAGE_LIMIT - 2) + "\uD83D\uDE00".repeat(10);
        String cut = LogText.message(text);
        assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(cut), cut);
        assertFalse(cut.contains("\uFFFD"));
        assertTrue(cut.length() <= LogText.MESSAGE_LIMIT);
    }
}
