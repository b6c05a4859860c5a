package io.hookline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of a run: each with its unit, the machine limit it is compared with (measured in the same run), and
 * the target of the Performance issue. Printed as a table and written as JSON.
 */
final class Report {

    /** How a figure relates to its target. */
    enum Goal {
        AT_LEAST,
        AT_MOST,
        NONE
    }

    /**
     * @param limit    the machine's limit for this figure (same unit), NaN when none applies
     * @param target   the target (same unit), NaN when none
     * @param complete false when the measurement ran out of time or lost deliveries: then the figure is a lower bound
     */
    record Figure(
            String key,
            String label,
            double value,
            String unit,
            double limit,
            String limitSource,
            double target,
            Goal goal,
            boolean complete,
            String note) {

        Boolean meets() {
            if (goal == Goal.NONE || Double.isNaN(target) || Double.isNaN(value)) {
                return null;
            }
            return goal == Goal.AT_LEAST ? value >= target : value <= target;
        }

        /** value / limit for a rate; limit / value would be upside down for a time, so times print value / limit too. */
        double ratio() {
            return Double.isNaN(limit) || limit == 0 || Double.isNaN(value) ? Double.NaN : value / limit;
        }
    }

    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Object> details = new LinkedHashMap<>();
    private final Map<String, Object> header = new LinkedHashMap<>();

    void header(String key, Object value) {
        header.put(key, value);
    }

    void add(Figure f) {
        figures.add(f);
        System.out.printf(
                "  => %s: %s %s%s%n",
                f.label().trim(),
                "count".equals(f.unit()) ? String.format("%,.0f", f.value()) : fmt(f.value()),
                f.unit(),
                f.complete() ? "" : " (INCOMPLETE: " + f.note() + ")");
    }

    void detail(String key, Object value) {
        details.put(key, value);
    }

    List<Figure> figures() {
        return figures;
    }

    String table() {
        StringBuilder t = new StringBuilder();
        String format = "%-44s %12s %-8s %12s %8s  %-14s %s%n";
        t.append(String.format(format, "figure", "value", "unit", "limit", "ratio", "target", "meets"));
        t.append("-".repeat(112)).append('\n');
        for (Figure f : figures) {
            String target = f.goal() == Goal.NONE || Double.isNaN(f.target())
                    ? "-"
                    : (f.goal() == Goal.AT_LEAST ? ">= " : "<= ") + fmt(f.target());
            Boolean meets = f.meets();
            String value = "count".equals(f.unit()) ? String.format("%,.0f", f.value()) : fmt(f.value());
            t.append(String.format(
                    format,
                    f.label(),
                    value + (f.complete() ? "" : "*"),
                    f.unit(),
                    Double.isNaN(f.limit()) ? "-" : fmt(f.limit()),
                    Double.isNaN(f.ratio()) ? "-" : String.format("%.2f", f.ratio()),
                    target,
                    meets == null ? "-" : meets ? "yes" : "NO"));
        }
        t.append("* incomplete: the measurement hit its time cap or lost deliveries; the value is what was reached.\n");
        for (Figure f : figures) {
            if (Double.isNaN(f.value()) && f.note() != null && !f.note().isBlank()) {
                t.append("n/a ")
                        .append(f.label().trim())
                        .append(": ")
                        .append(f.note())
                        .append('\n');
            }
        }
        t.append(
                "ratio = value / limit. Limits: delivery rates vs min(receiver max rate by wrk, PostgreSQL claim+record "
                        + "rate by pgbench); end-to-end also vs PostgreSQL's publish rate (pgbench); fan-out time vs the time "
                        + "that rate needs for the same work.\n");
        return t.toString();
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Math.abs(v) >= 100) {
            return String.format("%,.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format("%.1f", v);
        }
        return String.format("%.2f", v);
    }

    void writeJson(Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("run", header);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Figure f : figures) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", f.key());
            m.put("label", f.label());
            m.put("value", num(f.value()));
            m.put("unit", f.unit());
            m.put("limit", num(f.limit()));
            m.put("limitSource", f.limitSource());
            m.put("ratioToLimit", num(f.ratio()));
            m.put("target", num(f.target()));
            m.put("goal", f.goal().name());
            m.put("meetsTarget", f.meets());
            m.put("complete", f.complete());
            m.put("note", f.note());
            list.add(m);
        }
        root.put("figures", list);
        root.put("details", details);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    private static Object num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}
