package dev.tally.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The figures of one run as {@code key<TAB>value} lines, e.g. {@code write-uniform.throughput 5123.4}. A row of the
 * comparison table is every key sharing a prefix: {@code throughput}, {@code unit}, {@code p50_ms}, {@code p99_ms},
 * {@code p999_ms}, {@code max_ms}, {@code note}. compare.sh appends the anchors' figures to the same file.
 */
final class Figures {

    private final Map<String, String> values = new LinkedHashMap<>();

    Figures put(String key, double value) {
        values.put(key, Double.isNaN(value) ? "nan" : String.format(Locale.ROOT, "%.3f", value));
        return this;
    }

    Figures put(String key, String value) {
        values.put(key, value.replace('\t', ' ').replace('\n', ' '));
        return this;
    }

    /** A table row: throughput and the latency percentiles. */
    Figures row(String prefix, double throughput, String unit, Latency latency, String note) {
        put(prefix + ".throughput", throughput).put(prefix + ".unit", unit);
        if (latency != null && latency.count() > 0) {
            put(prefix + ".p50_ms", latency.p50()).put(prefix + ".p99_ms", latency.p99())
                    .put(prefix + ".p999_ms", latency.p999()).put(prefix + ".max_ms", latency.max());
        }
        return put(prefix + ".note", note);
    }

    Map<String, String> values() {
        return values;
    }

    void appendTo(Optional<Path> file) {
        if (file.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        values.forEach((key, value) -> lines.append(key).append('\t').append(value).append('\n'));
        try {
            if (file.get().getParent() != null) {
                Files.createDirectories(file.get().getParent());
            }
            Files.writeString(file.get(), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> read(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    values.put(line.substring(0, tab), line.substring(tab + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }
}
