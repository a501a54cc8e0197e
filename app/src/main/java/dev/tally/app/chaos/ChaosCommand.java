package dev.tally.app.chaos;

import java.io.PrintStream;
import java.util.List;

/** {@code ./tally chaos [--duration 5m] [--seed N] [--dir data/chaos]}: exit 0 when every count is exact, 1 if not. */
public final class ChaosCommand {

    private ChaosCommand() {
    }

    public static int run(List<String> args, PrintStream out) {
        ChaosOptions options;
        try {
            options = ChaosOptions.parse(args);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.println("usage: tally chaos [--duration 5m] [--seed N] [--dir data/chaos]");
            return 2;
        }
        ChaosReport report = ChaosRun.run(options, out);
        report.print(out);
        return report.exact() ? 0 : 1;
    }
}
