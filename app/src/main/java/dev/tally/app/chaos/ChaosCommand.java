package dev.tally.app.chaos;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.PrintStream;
import java.util.List;
import org.slf4j.LoggerFactory;

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
        // The run kills brokers on purpose: its own clients' "could not connect" warnings, one every few hundred
        // milliseconds per client while a broker is down, would bury the report. The brokers' and instances' logs
        // are in the run's directory.
        ((Logger) LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient")).setLevel(Level.ERROR);
        ChaosReport report = ChaosRun.run(options, out);
        report.print(out);
        return report.exact() ? 0 : 1;
    }
}
