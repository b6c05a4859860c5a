package io.hookline.common.sql;

import io.hookline.testsupport.UnitTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a statement file is read: what is a parameter, what is not, and what is refused. */
@UnitTest
class SqlTest {

    private static Sql parse(String text) {
        return Sql.parse("test.sql", text);
    }

    @Test
    void named_parameters_become_question_marks_and_are_listed_in_order_of_first_use() {
        Sql sql = parse("SELECT * FROM t WHERE a = :alpha AND b = :beta_2");
        assertEquals("SELECT * FROM t WHERE a = ? AND b = ?", sql.jdbc());
        assertEquals(List.of("alpha", "beta_2"), sql.parameters());
    }

    @Test
    void a_name_used_twice_is_one_parameter_bound_at_both_places() {
        Sql sql = parse("UPDATE t SET a = :now, b = CASE WHEN c >= :max THEN :now END WHERE d >= :max");
        assertEquals("UPDATE t SET a = ?, b = CASE WHEN c >= ? THEN ? END WHERE d >= ?", sql.jdbc());
        assertEquals(List.of("now", "max"), sql.parameters());
        assertArrayEquals(new int[] {1, 3}, sql.positions("now"));
        assertArrayEquals(new int[] {2, 4}, sql.positions("max"));
        assertEquals("UPDATE t SET a = $1, b = CASE WHEN c >= $2 THEN $1 END WHERE d >= $2", sql.numbered());
    }

    @Test
    void a_cast_is_not_a_parameter_even_right_after_one() {
        Sql sql = parse("SELECT :ids::text[], x::int, y :: bigint, '{}'::text[]");
        assertEquals("SELECT ?::text[], x::int, y :: bigint, '{}'::text[]", sql.jdbc());
        assertEquals(List.of("ids"), sql.parameters());
    }

    @Test
    void string_literals_are_not_parameters() {
        Sql sql = parse("SELECT ':no', 'it''s :no', E'\\' :no', e'\\\\', :yes, U&':no'");
        assertEquals("SELECT ':no', 'it''s :no', E'\\' :no', e'\\\\', ?, U&':no'", sql.jdbc());
        assertEquals(List.of("yes"), sql.parameters());
    }

    @Test
    void a_backslash_ends_nothing_in_a_standard_string() {
        Sql sql = parse("SELECT 'a\\', :yes");
        assertEquals("SELECT 'a\\', ?", sql.jdbc());
    }

    @Test
    void quoted_identifiers_and_dollar_quoted_strings_are_not_parameters() {
        Sql sql = parse("SELECT \":no\", \"a\"\":no\", $$ :no ? $$, $fn$ :no $x$ $fn$, a$b, :yes");
        assertEquals("SELECT \":no\", \"a\"\":no\", $$ :no ? $$, $fn$ :no $x$ $fn$, a$b, ?", sql.jdbc());
        assertEquals(List.of("yes"), sql.parameters());
    }

    @Test
    void comments_are_dropped_with_whatever_they_hold() {
        Sql sql = parse("-- what it does, :no and ?\n"
                + "-- Index: some_index\n"
                + "SELECT a, /* :no /* nested ? */ still a comment */ :yes -- trailing :no\n"
                + "FROM t;\n"
                + "-- after the end\n");
        assertEquals("SELECT a,   ? \nFROM t", sql.jdbc());
        assertEquals(List.of("yes"), sql.parameters());
    }

    @Test
    void one_trailing_semicolon_is_dropped_and_a_second_statement_refused() {
        assertEquals("SELECT 1", parse("SELECT 1;\n\n").jdbc());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> parse("SELECT 1;\nSELECT 2;"));
        assertEquals("test.sql, line 2: one statement per file: text after the ';'", e.getMessage());
    }

    @Test
    void other_parameter_styles_are_refused_with_the_line() {
        assertEquals(
                "test.sql, line 2: '?' is not a parameter here; name it (:name)",
                assertThrows(IllegalStateException.class, () -> parse("SELECT 1\nWHERE a = ?"))
                        .getMessage());
        assertEquals(
                "test.sql, line 1: positional parameters ($1) are not supported; name it (:name)",
                assertThrows(IllegalStateException.class, () -> parse("SELECT $1"))
                        .getMessage());
        assertTrue(assertThrows(IllegalStateException.class, () -> parse("SELECT :'name'"))
                .getMessage()
                .contains("use :name"));
    }

    @Test
    void unterminated_quotes_and_comments_are_refused() {
        assertThrows(IllegalStateException.class, () -> parse("SELECT 'abc"));
        assertThrows(IllegalStateException.class, () -> parse("SELECT \"abc"));
        assertThrows(IllegalStateException.class, () -> parse("SELECT $x$ abc $y$"));
        assertThrows(IllegalStateException.class, () -> parse("SELECT /* /* */ 1"));
        assertThrows(IllegalStateException.class, () -> parse("-- only a comment\n"));
    }

    @Test
    void colons_that_start_no_name_stay_as_they_are() {
        Sql sql = parse("SELECT a[1:2], f(x := 1), :yes");
        assertEquals("SELECT a[1:2], f(x := 1), ?", sql.jdbc());
    }

    @Test
    void fill_puts_sql_text_in_place_of_each_name_and_names_what_is_missing_or_unknown() {
        Sql sql = parse("SELECT :a, :b, :a");
        assertEquals("SELECT now(), '{}', now()", sql.fill(Map.of("a", "now()", "b", "'{}'")));
        assertEquals(
                "test.sql: no value for :b",
                assertThrows(IllegalArgumentException.class, () -> sql.fill(Map.of("a", "1")))
                        .getMessage());
        assertEquals(
                "test.sql has no parameter :c (it has :a, :b)",
                assertThrows(IllegalArgumentException.class, () -> sql.fill(Map.of("a", "1", "b", "2", "c", "3")))
                        .getMessage());
    }

    @Test
    void a_file_is_loaded_once_and_a_missing_one_fails_with_its_path() {
        assertSame(Sql.load("queue/claim.sql"), Sql.load("queue/claim.sql"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Sql.load("queue/nope.sql"));
        assertTrue(e.getMessage().startsWith("sql/queue/nope.sql is not on the classpath"), e.getMessage());
    }

    private static final Path ROOT = Path.of("src/main/resources/sql");
    private static final Pattern PARAMETER_IN_COMMENT = Pattern.compile(":([a-z_]+)");

    /**
     * Every statement file parses, says which index serves it, and lists each parameter it uses in its header
     * comment, so a reader (and psql) knows what to set.
     */
    @Test
    void every_statement_file_parses_and_documents_its_index_and_parameters() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ROOT)) {
            files = walk.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        assertTrue(files.size() >= 20, "statement files found: " + files.size());
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            String path = ROOT.relativize(file).toString().replace('\\', '/');
            Sql sql = Sql.load(path);
            String header = Files.readString(file)
                    .lines()
                    .takeWhile(line -> line.startsWith("--"))
                    .reduce("", (a, b) -> a + "\n" + b);
            if (!header.contains("-- Index: ")) {
                problems.add(path + ": no '-- Index:' line");
            }
            if (!header.contains("Parameters: ")) {
                problems.add(path + ": no 'Parameters:' line");
            }
            List<String> documented = new ArrayList<>();
            Matcher m = PARAMETER_IN_COMMENT.matcher(header.substring(Math.max(0, header.indexOf("Parameters: "))));
            while (m.find()) {
                documented.add(m.group(1));
            }
            for (String used : sql.parameters()) {
                if (!documented.contains(used)) {
                    problems.add(path + ": :" + used + " is not listed under Parameters");
                }
            }
        }
        assertEquals(List.of(), problems);
    }
}
