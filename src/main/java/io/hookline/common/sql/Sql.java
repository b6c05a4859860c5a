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

/**
 * One SQL statement kept as a file under {@code src/main/resources/sql/}, with named parameters written as psql
 * variables ({@code :name}), so {@code psql -v name=… -f} runs the very file the service runs (see
 * {@code sql/README.md}). Loaded once per file and cached; a missing or malformed file fails at the first
 * {@link #load}, which the owning classes do in static fields of {@code @Startup} beans, so it fails the start.
 * <p>
 * Parsed the way psql reads a file ({@link SqlReader}): {@code :name} is a parameter, {@code ::type} casts, quoted
 * text and comments are not. This class is threadsafe (immutable).
 */
public final class Sql {
    private static final String ROOT = "sql/";
    private static final Map<String, Sql> LOADED = new ConcurrentHashMap<>();

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

    /** Parses {@code text} (see {@link SqlReader}); {@code name} is used in error messages. */
    static Sql parse(String name, String text) {
        SqlReader.Parts parts = SqlReader.read(name, text);
        return new Sql(name, parts.pieces(), parts.occurrences());
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
