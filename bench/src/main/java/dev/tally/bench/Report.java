package dev.tally.bench;

import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one table of a comparison: a row per system and workload with its throughput and latency percentiles, then
 * the scalar figures, then tally's targets as ratios against the anchors measured in the same run.
 */
final class Report {

    private final Map<String, String> figures;

    Report(Map<String, String> figures) {
        this.figures = figures;
    }

    void print(PrintStream out) {
        printTableOnly(out);
        printTargets(out);
    }

    /** The rows and the other figures, without the targets (a single scenario has nothing to compare with). */
    void printTableOnly(PrintStream out) {
        Set<String> rows = new LinkedHashSet<>();
        figures.keySet().stream().filter(key -> key.endsWith(".throughput"))
                .forEach(key -> rows.add(key.substring(0, key.length() - ".throughput".length())));
        out.printf("%-30s %14s %-11s %9s %9s %9s %9s  %s%n", "system / workload", "throughput", "unit",
                "p50 ms", "p99 ms", "p99.9 ms", "max ms", "note");
        out.println("-".repeat(120));
        for (String row : rows) {
            out.printf("%-30s %14s %-11s %9s %9s %9s %9s  %s%n", row, number(row + ".throughput"),
                    figures.getOrDefault(row + ".unit", ""), number(row + ".p50_ms"), number(row + ".p99_ms"),
                    number(row + ".p999_ms"), number(row + ".max_ms"), figures.getOrDefault(row + ".note", ""));
        }
        out.println();
        out.println("other figures:");
        figures.forEach((key, value) -> {
            String field = key.substring(key.indexOf('.') + 1);
            boolean inTable = rows.stream().anyMatch(row -> key.startsWith(row + ".")
                    && Set.of("throughput", "unit", "p50_ms", "p99_ms", "p999_ms", "max_ms", "note")
                    .contains(key.substring(row.length() + 1)));
            if (!inTable && !field.isEmpty()) {
                out.printf("  %-52s %s%n", key, value.matches("-?[0-9.]+") ? number(key) : value);
            }
        });
    }

    void printTargets(PrintStream out) {
        out.println();
        out.println("targets (ratios of figures measured in this run):");
        ratio(out, "T1 HTTP writes counted end to end / Redis INCR (-c 50, no pipelining)",
                "write-uniform.counted_per_s", "redis.incr.throughput", null);
        ratio(out, "T1' HTTP write answers / Redis INCR", "write-uniform.throughput", "redis.incr.throughput", null);
        ratio(out, "T1'' async HTTP writes counted end to end / Redis INCR", "write-async.counted_per_s",
                "redis.incr.throughput", null);
        ratio(out, "T2 tally topology / groupByKey().count(), EOS", "replay.tally.throughput",
                "replay.plain_count.throughput", null);
        ratio(out, "T3 write-hot / write-uniform (target >= 0.8)", "write-hot.throughput", "write-uniform.throughput", 0.8);
        ratio(out, "T4 single GETs / Redis GET (-c 50, no pipelining)", "read.throughput", "redis.get.throughput", null);
        limit(out, "T4 server-side GET p99, saturated (target <= 1 ms)", "read.server_p99_ms", 1.0, "ms");
        limit(out, "T4 server-side GET p99 at half load (target <= 1 ms)", "read-half.server_p99_ms", 1.0, "ms");
        limit(out, "T5 freshness p99, 2xx to visible (target <= 100 ms)", "freshness.after_ack.p99_ms", 100.0, "ms");
        limit(out, "T6 counts store bytes per counter, RocksDB (target <= 16)", "storage.counts_rocksdb_bytes_per_counter", 16.0, "B");
        limit(out, "T6 counts changelog bytes per counter (target <= 16)", "storage.counts_changelog_bytes_per_counter", 16.0, "B");
        ratio(out, "batch POST /v1/events events/s / Redis INCR -P 16", "write-batch.events_per_s",
                "redis.incr_p16.throughput", null);
        // Accepted batches outrun the processor; what it counted per second is the sustainable rate.
        ratio(out, "batch events counted end to end / Redis INCR -P 16", "write-batch.counted_per_s",
                "redis.incr_p16.throughput", null);
        ratio(out, "single GETs / static Javalin endpoint (HTTP floor)", "read.throughput", "http-floor.throughput", null);
        ratio(out, "HTTP writes counted / Kafka ProducerPerformance", "write-uniform.counted_per_s",
                "kafka.producer_perf.throughput", null);
    }

    private void ratio(PrintStream out, String name, String numerator, String denominator, Double atLeast) {
        Double top = value(numerator);
        Double bottom = value(denominator);
        if (top == null || bottom == null || bottom == 0) {
            out.printf("  %-66s not measured (%s or %s missing)%n", name, numerator, denominator);
            return;
        }
        double ratio = top / bottom;
        String verdict = atLeast == null ? "" : ratio >= atLeast ? "  met" : "  NOT met";
        out.printf(Locale.ROOT, "  %-66s %8.3f  (%s / %s)%s%n", name, ratio, format(top), format(bottom), verdict);
    }

    private void limit(PrintStream out, String name, String key, double most, String unit) {
        Double measured = value(key);
        if (measured == null) {
            out.printf("  %-66s not measured (%s missing)%n", name, key);
            return;
        }
        out.printf(Locale.ROOT, "  %-66s %8.3f %s%s%n", name, measured, unit, measured <= most ? "  met" : "  NOT met");
    }

    private Double value(String key) {
        String text = figures.get(key);
        if (text == null) {
            return null;
        }
        try {
            double value = Double.parseDouble(text);
            return Double.isNaN(value) ? null : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String number(String key) {
        Double value = value(key);
        return value == null ? "" : format(value);
    }

    private static String format(double value) {
        if (Math.abs(value) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (Math.abs(value) >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
