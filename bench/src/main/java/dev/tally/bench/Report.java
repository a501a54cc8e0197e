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
        // floor: the load generator's own ceiling (a static route), which no HTTP row can exceed.
        out.printf("%-24s %12s %-11s %10s %12s %12s %9s %9s %9s %9s  %s%n", "system / workload", "throughput", "unit",
                "floor", "counted/s", "backlog", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "note");
        out.println("-".repeat(150));
        for (String row : rows) {
            out.printf("%-24s %12s %-11s %10s %12s %12s %9s %9s %9s %9s  %s%n", row, number(row + ".throughput"),
                    figures.getOrDefault(row + ".unit", ""), number(row + ".floor"), number(row + ".counted_per_s"),
                    number(row + ".backlog"), number(row + ".p50_ms"), number(row + ".p99_ms"),
                    number(row + ".p999_ms"), number(row + ".max_ms"), figures.getOrDefault(row + ".note", ""));
        }
        out.println();
        out.println("other figures:");
        figures.forEach((key, value) -> {
            String field = key.substring(key.indexOf('.') + 1);
            boolean inTable = rows.stream().anyMatch(row -> key.startsWith(row + ".")
                    && Set.of("throughput", "unit", "floor", "counted_per_s", "backlog", "p50_ms", "p99_ms", "p999_ms",
                            "max_ms", "note")
                    .contains(key.substring(row.length() + 1)));
            if (!inTable && !field.isEmpty()) {
                out.printf("  %-52s %s%n", key, value.matches("-?[0-9.]+") ? number(key) : value);
            }
        });
    }

    /**
     * The targets of "Performance, measured honestly", each a ratio of two figures of the same run or a limit.
     * Writes are compared by what the processor counted during the run, never by what HTTP accepted.
     */
    void printTargets(PrintStream out) {
        out.println();
        out.println("targets (ratios of figures measured in this run):");
        ratio(out, "R0 tally /health/live / bare Javalin static route", "tally.live.throughput",
                "javalin.static.throughput", 0.8);
        ratio(out, "R1 single GETs / HTTP+Redis GET", "tally.get.throughput", "http_redis.get.throughput", 1.0);
        ratio(out, "R1 single GETs / tally /health/live", "tally.get.throughput", "tally.live.throughput", 0.9);
        limit(out, "R2 server-side GET p99 at half of R1's rate", "tally.get_half.server_p99_ms", 1.0, "ms");
        ratio(out, "W1 async PUT counted / HTTP+Redis INCR", "tally.put_async.counted_per_s",
                "http_redis.incr.throughput", 1.0);
        ratio(out, "W2 read-your-writes PUT counted at 2,000 conn / W1", "tally.put_ryw.counted_per_s",
                "tally.put_async.counted_per_s", 0.5);
        limit(out, "W2 read-your-writes PUT p99 at 2,000 conn (closed loop)", "tally.put_ryw.p99_ms", 300.0, "ms");
        ratio(out, "P1 replay: tally topology / groupByKey().count()", "replay.tally.throughput",
                "replay.plain_count.throughput", 0.8);
        ratio(out, "B1 POST /v1/events counted / raw Redis INCR -P 16", "tally.batch.counted_per_s",
                "redis.incr_p16.throughput", 0.5);
        limit(out, "freshness p99, 2xx to visible on GET", "freshness.after_ack.p99_ms", 100.0, "ms");
        limit(out, "bytes per counter, RocksDB", "storage.counts_rocksdb_bytes_per_counter", 16.0, "B");
        limit(out, "bytes per counter, changelog", "storage.counts_changelog_bytes_per_counter", 16.0, "B");
        limit(out, "./tally run start to ready, data present", "tally.start_to_ready_s", 10.0, "s");
        ratio(out, "write-hot-likes counted / write-uniform counted", "tally.put_hot_likes.counted_per_s",
                "tally.put.counted_per_s", 0.8);
        out.println();
        out.println("context (no target):");
        ratio(out, "tally GET / generator ceiling (static route)", "tally.get.throughput", "javalin.static.throughput", null);
        ratio(out, "HTTP+Redis GET / raw Redis GET", "http_redis.get.throughput", "redis.get.throughput", null);
        ratio(out, "W1 async PUT accepted / counted", "tally.put_async.events_per_s", "tally.put_async.counted_per_s", null);
        ratio(out, "B1 batch events accepted / counted", "tally.batch.events_per_s", "tally.batch.counted_per_s", null);
    }

    private void ratio(PrintStream out, String name, String numerator, String denominator, Double atLeast) {
        Double top = value(numerator);
        Double bottom = value(denominator);
        if (top == null || bottom == null || bottom == 0) {
            out.printf("  %-66s not measured (%s or %s missing)%n", name, numerator, denominator);
            return;
        }
        double ratio = top / bottom;
        String verdict = atLeast == null ? "" : String.format(Locale.ROOT, "  target >= %.1f: %s", atLeast,
                ratio >= atLeast ? "met" : "MISSED");
        out.printf(Locale.ROOT, "  %-66s %8.3f  (%s / %s)%s%n", name, ratio, format(top), format(bottom), verdict);
    }

    private void limit(PrintStream out, String name, String key, double most, String unit) {
        Double measured = value(key);
        if (measured == null) {
            out.printf("  %-66s not measured (%s missing)%n", name, key);
            return;
        }
        out.printf(Locale.ROOT, "  %-66s %8.3f %s  target <= %s %s: %s%n", name, measured, unit, format(most), unit,
                measured <= most ? "met" : "MISSED");
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
