package dev.tally.bench;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code ./tally bench <scenario> [options]}: runs one scenario, prints its table, writes result.json and
 * latency.svg under bench/results, and appends its figures to --figures for compare.sh. Only wiring.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        if (args.length >= 1 && args[0].equals("report")) {
            if (args.length != 2) {
                System.err.println("usage: tally bench report FIGURES_FILE");
                System.exit(2);
            }
            new Report(Figures.read(Path.of(args[1]))).print(out);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("tally bench: " + e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.scenario().startsWith("serve-")) {
            new BenchServer(options, out).run();
            System.exit(0);
        }
        ResultFiles files = new ResultFiles(options.resultsDir(), options.scenario());
        Figures figures = switch (options.scenario()) {
            case "write-uniform", "write-hot", "write-hot-likes", "write-async", "write-batch", "read", "read-half", "mixed", "feed", "http-floor" ->
                    new HttpScenario(options, out).run(files);
            case "freshness" -> new FreshnessScenario(options, out).run(files);
            case "storage" -> new StorageScenario(options, out).run();
            case "replay" -> new ReplayScenario(options, out).run();
            case "broker" -> {
                new BrokerScenario(options, out).run();
                yield null;
            }
            default -> {
                System.err.println("tally bench: unknown scenario " + options.scenario());
                System.err.println(BenchOptions.USAGE);
                System.exit(2);
                yield null;
            }
        };
        if (figures == null) {
            System.exit(0);
        }
        Path dir = files.write(figures);
        figures.appendTo(options.figures());
        out.println();
        new Report(figures.values()).printTableOnly(out);
        out.println("results: " + dir);
        // Kafka and Jetty leave non-daemon threads behind after close; the run is over.
        System.exit(0);
    }
}
