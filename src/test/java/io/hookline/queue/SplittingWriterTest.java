package io.hookline.queue;

import io.hookline.testsupport.UnitTest;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a batch with rows the database refuses is written, against a store that refuses like PostgreSQL. */
@UnitTest
class SplittingWriterTest {
    /** Written rows in order; refuses (22021, as for a 0x00 in text) any write holding a row that starts with "bad". */
    final List<String> stored = new ArrayList<>();

    final List<Integer> pauses = new ArrayList<>();
    int statements;
    int unavailableFor;

    final SplittingWriter.Store<String> store = rows -> {
        statements++;
        if (unavailableFor > 0) {
            unavailableFor--;
            throw new SQLException("Connection refused", "08001");
        }
        if (rows.stream().anyMatch(r -> r.startsWith("bad"))) {
            throw new SQLException("invalid byte sequence for encoding \"UTF8\": 0x00", "22021");
        }
        stored.addAll(rows);
    };
    final SplittingWriter<String> writer =
            new SplittingWriter<>(store, (row, e) -> "internal:" + row.substring(3), 5, pauses::add);

    static List<String> rows(int n) {
        return IntStream.range(0, n).mapToObj(i -> "r" + i).toList();
    }

    @Test
    void a_batch_without_bad_rows_is_one_statement() throws Exception {
        SplittingWriter.Result result = writer.write(rows(500));
        assertEquals(1, statements);
        assertEquals(rows(500), stored);
        assertEquals(new SplittingWriter.Result(500, 0, 0), result);
    }

    @Test
    void one_bad_row_is_isolated_and_written_as_its_substitute_and_every_other_row_in_order() throws Exception {
        List<String> batch = new ArrayList<>(rows(500));
        batch.set(317, "bad317");
        SplittingWriter.Result result = writer.write(batch);
        List<String> expected = new ArrayList<>(rows(500));
        expected.set(317, "internal:317");
        assertEquals(expected, stored);
        assertEquals(new SplittingWriter.Result(500, 1, 0), result);
        // the batch, two halves per level down to the row (9 levels for 500), and the substitute
        assertTrue(statements <= 1 + 2 * 9 + 1, statements + " statements");
        assertTrue(pauses.isEmpty(), "a refusal is not waited on");
    }

    @Test
    void several_bad_rows_are_each_isolated() throws Exception {
        List<String> batch = new ArrayList<>(rows(64));
        for (int i : new int[] {0, 1, 31, 63}) {
            batch.set(i, "bad" + i);
        }
        SplittingWriter.Result result = writer.write(batch);
        assertEquals(64, stored.size());
        assertEquals(
                List.of("internal:0", "internal:1", "internal:31", "internal:63"),
                stored.stream().filter(r -> r.startsWith("internal:")).toList());
        assertEquals(new SplittingWriter.Result(64, 4, 0), result);
    }

    @Test
    void a_substitute_that_is_refused_too_is_given_up_alone() throws Exception {
        SplittingWriter<String> stubborn = new SplittingWriter<>(store, (row, e) -> row, 5, pauses::add);
        SplittingWriter.Result result = stubborn.write(List.of("r0", "bad1", "r2"));
        assertEquals(List.of("r0", "r2"), stored);
        assertEquals(new SplittingWriter.Result(2, 0, 0), result);
    }

    @Test
    void an_unavailable_database_is_waited_for_with_the_same_rows_and_nothing_is_written_twice() throws Exception {
        List<String> batch = new ArrayList<>(rows(8));
        batch.set(6, "bad6");
        // refused whole, first half written, then the database goes away for two tries
        SplittingWriter.Store<String> flaky = new SplittingWriter.Store<>() {
            int calls;

            @Override
            public void write(List<String> rows) throws SQLException {
                if (++calls == 3) {
                    unavailableFor = 2;
                }
                store.write(rows);
            }
        };
        SplittingWriter.Result result =
                new SplittingWriter<>(flaky, (row, e) -> "internal:" + row.substring(3), 5, pauses::add).write(batch);
        assertEquals(List.of("r0", "r1", "r2", "r3", "r4", "r5", "internal:6", "r7"), stored);
        assertEquals(List.of(1, 2), pauses);
        assertEquals(new SplittingWriter.Result(8, 1, 0), result);
    }

    @Test
    void rows_are_given_up_after_the_last_try_when_the_database_stays_away() throws Exception {
        unavailableFor = Integer.MAX_VALUE;
        SplittingWriter.Result result = writer.write(rows(10));
        assertEquals(5, statements);
        assertEquals(List.of(1, 2, 3, 4), pauses);
        assertEquals(new SplittingWriter.Result(0, 0, 10), result);
        assertTrue(stored.isEmpty());
    }

    @Test
    void a_runtime_exception_for_one_row_is_isolated_like_a_refusal() throws Exception {
        SplittingWriter<String> buggy = new SplittingWriter<>(
                rows -> {
                    if (rows.contains("npe")) {
                        throw new NullPointerException();
                    }
                    stored.addAll(rows);
                },
                (row, e) -> "internal:" + e.getClass().getSimpleName(),
                5,
                pauses::add);
        buggy.write(List.of("r0", "npe", "r2"));
        assertEquals(List.of("r0", "internal:NullPointerException", "r2"), stored);
    }

    @Test
    void data_integrity_and_limit_errors_are_refusals_and_connection_trouble_is_not() {
        for (String state : new String[] {"22021", "22P05", "23514", "23502", "54000"}) {
            assertTrue(SplittingWriter.refused(new SQLException("x", state)), state);
        }
        for (String state : new String[] {"08001", "08006", "57P01", "53300", "40001", null}) {
            assertFalse(SplittingWriter.refused(new SQLException("x", state)), String.valueOf(state));
        }
        assertTrue(SplittingWriter.refused(new IllegalStateException()));
    }

    @Test
    void at_least_one_try_is_required() {
        assertThrows(IllegalArgumentException.class, () -> new SplittingWriter<>(store, (r, e) -> r, 0, pauses::add));
    }
}
