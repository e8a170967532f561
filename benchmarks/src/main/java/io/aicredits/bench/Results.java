package io.aicredits.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Benchmark results: the printed table and its JSON form (for comparing commits). */
public final class Results {

    /** One measured figure. {@code value} is {@code NaN} when the phase failed ({@code note} says why). */
    public record Row(String phase, String metric, double value, String unit, String note) {
    }

    private final Map<String, Object> environment = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();

    public void environment(String key, Object value) {
        environment.put(key, value);
    }

    public synchronized void add(String phase, String metric, double value, String unit, String note) {
        rows.add(new Row(phase, metric, value, unit, note == null ? "" : note));
    }

    public synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The first value of {@code phase}/{@code metric}, or {@code NaN}. */
    public synchronized double value(String phase, String metric) {
        return rows.stream().filter(r -> r.phase().equals(phase) && r.metric().equals(metric))
                .mapToDouble(Row::value).findFirst().orElse(Double.NaN);
    }

    /** Rows without a value: a phase, or one of its steps, failed (the row's note says why). */
    public synchronized long failedRows() {
        return rows.stream().filter(r -> Double.isNaN(r.value())).count();
    }

    /** A fixed-width table. */
    public synchronized String table() {
        StringBuilder out = new StringBuilder();
        String format = "%-12s %-36s %16s %-10s %s%n";
        out.append(String.format(format, "phase", "metric", "value", "unit", "note"));
        out.append("-".repeat(100)).append('\n');
        for (Row row : rows) {
            out.append(String.format(format, row.phase(), row.metric(), formatValue(row.value()), row.unit(), row.note()));
        }
        return out.toString();
    }

    static String formatValue(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format("%,d", (long) value);
        }
        return String.format("%,.2f", value);
    }

    /** {@code {"environment":{...},"results":[{"phase":..,"metric":..,"value":..,"unit":..,"note":..}]}}. */
    public synchronized String toJson() {
        StringBuilder out = new StringBuilder("{\n  \"environment\": {");
        boolean first = true;
        for (Map.Entry<String, Object> e : environment.entrySet()) {
            out.append(first ? "\n    " : ",\n    ").append(quote(e.getKey())).append(": ").append(jsonValue(e.getValue()));
            first = false;
        }
        out.append("\n  },\n  \"results\": [");
        first = true;
        for (Row row : rows) {
            out.append(first ? "\n    " : ",\n    ");
            out.append("{\"phase\": ").append(quote(row.phase()))
                    .append(", \"metric\": ").append(quote(row.metric()))
                    .append(", \"value\": ").append(jsonValue(row.value()))
                    .append(", \"unit\": ").append(quote(row.unit()))
                    .append(", \"note\": ").append(quote(row.note())).append('}');
            first = false;
        }
        return out.append("\n  ]\n}\n").toString();
    }

    private static String jsonValue(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "null" : (d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString());
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return quote(value.toString());
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
