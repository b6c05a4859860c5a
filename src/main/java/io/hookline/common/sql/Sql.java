package io.hookline.common.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SQL statement kept as a file under {@code src/main/resources/sql/}, with named parameters written as psql
 * variables ({@code :name}), so {@code psql -v name=… -f} runs the very file the service runs (see
 * {@code sql/README.md}). Loaded once per file and cached; a missing or malformed file fails at the first
 * {@link #load}, which the owning classes do in a static field, so it fails when their class is first used.
 * <p>
 * Parsed the way psql reads a file: {@code :name} is a parameter; {@code ::type} casts, string literals
 * ({@code '…'}, {@code E'…'}, {@code $tag$…$tag$}), quoted identifiers and comments are not. Comments are dropped from
 * the text sent to the server; one trailing {@code ;} is allowed (psql's {@code \i} wants it) and dropped. A
 * {@code ?} or {@code $1} outside quotes is refused: the file has one way to name a parameter. This class is
 * threadsafe (immutable).
 */
public final class Sql {
    private static final String ROOT = "sql/";
    private static final Map<String, Sql> LOADED = new ConcurrentHashMap<>();
    private static final Pattern DOLLAR_TAG = Pattern.compile("\\$([A-Za-z_][A-Za-z_0-9]*)?\\$");

    private final String name;
    /** The text between parameters: one more than {@link #occurrences}. */
    private final List<String> pieces;
    /** Each parameter occurrence in order; a name used twice appears twice. */
    private final List<String> occurrences;
    /** Each distinct name with its 1-based JDBC positions, in order of first use. */
    private final Map<String, int[]> positions;

    private Sql(String name, List<String> pieces, List<String> occurrences) {
        this.name = name;
        this.pieces = List.copyOf(pieces);
        this.occurrences = List.copyOf(occurrences);
        Map<String, List<Integer>> at = new LinkedHashMap<>();
        for (int i = 0; i < occurrences.size(); i++) {
            at.computeIfAbsent(occurrences.get(i), k -> new ArrayList<>()).add(i + 1);
        }
        Map<String, int[]> p = new LinkedHashMap<>();
        at.forEach((k, v) -> p.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        this.positions = p;
    }

    /**
     * The statement in {@code sql/<path>} on the classpath, read and parsed on the first call, cached after it.
     *
     * @throws IllegalStateException when the file is missing or is not one statement with {@code :name} parameters
     */
    public static Sql load(String path) {
        return LOADED.computeIfAbsent(path, Sql::read);
    }

    private static Sql read(String path) {
        String resource = ROOT + path;
        try (InputStream in = Sql.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath (src/main/resources/" + resource
                        + "); a statement file was renamed or removed");
            }
            return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** Parses {@code text}; {@code name} is used in error messages. */
    static Sql parse(String name, String text) {
        List<String> pieces = new ArrayList<>();
        List<String> occurrences = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        boolean ended = false;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char ch = text.charAt(i);
            char next = i + 1 < n ? text.charAt(i + 1) : '\0';
            if (ch == '-' && next == '-') {
                int eol = text.indexOf('\n', i);
                i = eol < 0 ? n : eol;
                continue;
            }
            if (ch == '/' && next == '*') {
                i = endOfBlockComment(name, text, i);
                piece.append(' ');
                continue;
            }
            if (ended) {
                if (!Character.isWhitespace(ch)) {
                    throw malformed(name, text, i, "one statement per file: text after the ';'");
                }
                i++;
                continue;
            }
            int end;
            Matcher tag = ch == '$' ? DOLLAR_TAG.matcher(text).region(i, n) : null;
            if (ch == '\'') {
                end = endOfString(name, text, i, isEscapeString(text, i));
            } else if (ch == '"') {
                end = endOfQuoted(name, text, i, '"');
            } else if (tag != null && !(i > 0 && isIdentifierPart(text.charAt(i - 1))) && tag.lookingAt()) {
                int close = text.indexOf(tag.group(), tag.end());
                if (close < 0) {
                    throw malformed(name, text, i, "unterminated dollar-quoted string " + tag.group());
                }
                end = close + tag.group().length();
            } else if (ch == ':' && next == ':') {
                end = i + 2;
            } else if (ch == ':' && isIdentifierStart(next)) {
                int j = i + 1;
                while (j < n && isNamePart(text.charAt(j))) {
                    j++;
                }
                pieces.add(piece.toString());
                piece.setLength(0);
                occurrences.add(text.substring(i + 1, j));
                i = j;
                continue;
            } else if (ch == ':' && (next == '\'' || next == '"')) {
                throw malformed(
                        name, text, i, "psql's quoting forms :'name' and :\"name\" are not supported; use :name");
            } else if (ch == '?') {
                throw malformed(name, text, i, "'?' is not a parameter here; name it (:name)");
            } else if (ch == '$' && Character.isDigit(next)) {
                throw malformed(name, text, i, "positional parameters ($1) are not supported; name it (:name)");
            } else if (ch == ';') {
                ended = true;
                i++;
                continue;
            } else {
                end = i + 1;
            }
            piece.append(text, i, end);
            i = end;
        }
        pieces.add(piece.toString());
        pieces.set(0, pieces.get(0).stripLeading());
        pieces.set(pieces.size() - 1, pieces.get(pieces.size() - 1).stripTrailing());
        if (occurrences.isEmpty() && pieces.get(0).isEmpty()) {
            throw new IllegalStateException(name + " holds no statement");
        }
        return new Sql(name, pieces, occurrences);
    }

    private static int endOfBlockComment(String name, String text, int start) {
        int depth = 0;
        int i = start;
        while (i < text.length() - 1) {
            if (text.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (text.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        throw malformed(name, text, start, "unterminated /* comment");
    }

    /** A string literal {@code '…'} ({@code ''} is a quote); in an E'…' string a backslash escapes too. */
    private static int endOfString(String name, String text, int start, boolean backslashEscapes) {
        int i = start + 1;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (backslashEscapes && ch == '\\') {
                i += 2;
            } else if (ch == '\'') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        throw malformed(name, text, start, "unterminated string literal");
    }

    private static int endOfQuoted(String name, String text, int start, char quote) {
        int i = start + 1;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        throw malformed(name, text, start, "unterminated quoted identifier");
    }

    private static boolean isEscapeString(String text, int quote) {
        return quote > 0
                && (text.charAt(quote - 1) == 'E' || text.charAt(quote - 1) == 'e')
                && (quote == 1 || !isIdentifierPart(text.charAt(quote - 2)));
    }

    private static boolean isIdentifierStart(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
    }

    /** A psql variable name: letters, digits, underscores. */
    private static boolean isNamePart(char ch) {
        return isIdentifierStart(ch) || (ch >= '0' && ch <= '9');
    }

    /** A SQL identifier may also hold '$' (so {@code a$b$} is no dollar quote). */
    private static boolean isIdentifierPart(char ch) {
        return isNamePart(ch) || ch == '$';
    }

    private static IllegalStateException malformed(String name, String text, int at, String problem) {
        int line = 1;
        for (int i = 0; i < at; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return new IllegalStateException(name + ", line " + line + ": " + problem);
    }

    /** Where the statement came from, e.g. {@code sql/queue/claim.sql}. */
    public String name() {
        return name;
    }

    /** The distinct parameter names, in order of first use. */
    public List<String> parameters() {
        return List.copyOf(positions.keySet());
    }

    /** The statement for JDBC: each {@code :name} a {@code ?}, comments dropped. */
    public String jdbc() {
        return String.join("?", pieces);
    }

    /**
     * The statement for {@code PREPARE}: each distinct name a {@code $n}, numbered in order of first use (as
     * {@link #parameters()} lists them), so a name used twice is one parameter.
     */
    public String numbered() {
        List<String> names = parameters();
        Map<String, String> dollars = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            dollars.put(names.get(i), "$" + (i + 1));
        }
        return fill(dollars);
    }

    /**
     * The statement with each parameter replaced by the SQL text given for its name (a literal, {@code now()}, a
     * pgbench variable): what {@code psql -v} does.
     *
     * @throws IllegalArgumentException when a parameter has no text or a name is not a parameter
     */
    public String fill(Map<String, String> sqlByName) {
        for (String given : sqlByName.keySet()) {
            requireParameter(given);
        }
        StringBuilder out = new StringBuilder(pieces.get(0));
        for (int i = 0; i < occurrences.size(); i++) {
            String value = sqlByName.get(occurrences.get(i));
            if (value == null) {
                throw new IllegalArgumentException(name + ": no value for :" + occurrences.get(i));
            }
            out.append(value).append(pieces.get(i + 1));
        }
        return out.toString();
    }

    /** Prepares the statement on {@code c}; bind every parameter by name, then execute. */
    public Prepared prepare(Connection c) throws SQLException {
        return new Prepared(this, c.prepareStatement(jdbc()));
    }

    /** The JDBC positions of {@code parameter}. */
    int[] positions(String parameter) {
        return requireParameter(parameter);
    }

    private int[] requireParameter(String parameter) {
        int[] at = positions.get(parameter);
        if (at == null) {
            throw new IllegalArgumentException(
                    name + " has no parameter :" + parameter + " (it has " + describe(parameters()) + ")");
        }
        return at;
    }

    static String describe(List<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        return ":" + String.join(", :", names);
    }

    @Override
    public String toString() {
        return name;
    }
}
