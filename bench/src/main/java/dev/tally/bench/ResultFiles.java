package dev.tally.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Writes a scenario's results under {@code bench/results/<time>-<scenario>/}: {@code result.json} (every figure and
 * each latency distribution by percentile) and {@code latency.svg}, the distributions plotted the way HdrHistogram
 * plots them: latency against percentile on a log scale of 1/(1-p), so the tail is as visible as the median.
 */
final class ResultFiles {

    private final Path dir;
    private final Map<String, Histogram> distributions = new LinkedHashMap<>();

    ResultFiles(Path resultsRoot, String scenario) {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        this.dir = resultsRoot.resolve(stamp + "-" + scenario);
    }

    /** A latency distribution in microseconds to save and plot. */
    ResultFiles distribution(String name, Histogram micros) {
        if (micros.getTotalCount() > 0) {
            distributions.put(name, micros);
        }
        return this;
    }

    Path write(Figures figures) {
        try {
            Files.createDirectories(dir);
            ObjectNode root = Json.mapper().createObjectNode();
            ObjectNode values = root.putObject("figures");
            figures.values().forEach(values::put);
            ObjectNode curves = root.putObject("latency_percentiles_ms");
            distributions.forEach((name, histogram) -> {
                ArrayNode points = curves.putArray(name);
                for (double[] point : curve(histogram)) {
                    points.addObject().put("percentile", point[0]).put("ms", point[1]);
                }
            });
            Json.mapper().writerWithDefaultPrettyPrinter().writeValue(dir.resolve("result.json").toFile(), root);
            if (!distributions.isEmpty()) {
                Files.writeString(dir.resolve("latency.svg"), svg());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.List<double[]> curve(Histogram histogram) {
        java.util.List<double[]> points = new java.util.ArrayList<>();
        for (HistogramIterationValue value : histogram.percentiles(5)) {
            double percentile = value.getPercentileLevelIteratedTo();
            points.add(new double[] {Math.min(percentile, 99.9999), value.getValueIteratedTo() / 1000.0});
            if (percentile >= 100.0) {
                break;
            }
        }
        return points;
    }

    private String svg() {
        int width = 800;
        int height = 480;
        int left = 70;
        int right = 180;
        int top = 30;
        int bottom = 50;
        double maxX = 6; // 99.9999th percentile
        double maxMs = distributions.values().stream().mapToDouble(h -> h.getMaxValue() / 1000.0).max().orElse(1);
        double maxY = niceCeiling(maxMs);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>%n",
                width, height));
        svg.append("<rect width='100%' height='100%' fill='white'/>\n");
        int plotWidth = width - left - right;
        int plotHeight = height - top - bottom;
        String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"};
        for (int i = 0; i <= 6; i++) {
            double x = left + plotWidth * i / maxX;
            svg.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#ddd'/>%n", x, top, x, top + plotHeight));
            svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>%n", x, top + plotHeight + 18, labels[i]));
        }
        for (int i = 0; i <= 5; i++) {
            double y = top + plotHeight - plotHeight * i / 5.0;
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>%n", left, y, left + plotWidth, y));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end'>%s</text>%n", left - 6, y + 4, trim(maxY * i / 5)));
        }
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle'>percentile</text>%n", left + plotWidth / 2, height - 10));
        svg.append(String.format(Locale.ROOT, "<text x='16' y='%d' transform='rotate(-90 16 %d)' text-anchor='middle'>latency (ms)</text>%n",
                top + plotHeight / 2, top + plotHeight / 2));
        String[] colors = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
        int index = 0;
        for (Map.Entry<String, Histogram> entry : distributions.entrySet()) {
            String color = colors[index % colors.length];
            StringBuilder points = new StringBuilder();
            for (double[] point : curve(entry.getValue())) {
                double xValue = Math.min(maxX, -Math.log10(1 - point[0] / 100.0));
                double x = left + plotWidth * xValue / maxX;
                double y = top + plotHeight - plotHeight * Math.min(1, point[1] / maxY);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill='none' stroke='%s' stroke-width='2' points='%s'/>%n", color, points));
            int legendY = top + 16 + index * 18;
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='%s' stroke-width='3'/>%n",
                    width - right + 10, legendY - 4, width - right + 30, legendY - 4, color));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>%s</text>%n", width - right + 36, legendY, escape(entry.getKey())));
            index++;
        }
        return svg.append("</svg>\n").toString();
    }

    private static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(value, 0.001))));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String trim(double value) {
        return value >= 10 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
