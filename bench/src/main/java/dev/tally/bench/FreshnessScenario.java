package dev.tally.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;

/**
 * How soon a write is visible to readers. Under a background write-uniform load at half the maximum write rate
 * (measured first, closed loop, unless --rate gives the background rate), a probe writes a view to a post nobody
 * else writes, with {@code Prefer: respond-async} (202 once durable, before it is counted: a read-your-writes PUT
 * answers once counted, so its count is visible by definition), then reads it back until the count shows it. Two
 * times per probe: from the PUT's 2xx answer to the first GET that shows it (the target, T5), and from sending the
 * PUT (the whole write path, for context). The slowest probes are printed with their wall-clock times, to be laid
 * beside the server's log (commits, rebalances, GC).
 */
final class FreshnessScenario {

    /** Probe posts lie above the 1 M posts the load writes, one fresh post per probe. */
    private static final long FIRST_PROBE_POST = 10_000_001L;
    private static final long PROBE_GAP_MILLIS = 20;
    /** A write not visible after this long is a failure of the run, not a slow sample. */
    private static final long VISIBLE_WITHIN_NANOS = 30_000_000_000L;
    private static final int SLOWEST_SHOWN = 5;

    /** One probe: when it was sent (wall clock), its answer, and how long until its count showed. */
    private record ProbeTimes(Instant sentAt, int status, long ackMicros, long visibleMicros, int reads) {
    }

    private final BenchOptions options;
    private final PrintStream out;

    FreshnessScenario(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    Figures run(ResultFiles files) {
        if (options.url().isPresent()) {
            return measure(options.url().get(), files);
        }
        out.println("freshness: starting tally in-process");
        try (LocalTally tally = LocalTally.start()) {
            return measure(tally.url(), files);
        }
    }

    private Figures measure(String url, ResultFiles files) {
        double rate = options.rate();
        Figures figures = new Figures();
        if (rate <= 0) {
            Duration calibration = Duration.ofSeconds(Math.max(3, Math.min(8, options.duration().toSeconds() / 3)));
            out.printf("freshness: measuring the max write rate (closed loop, %d s)%n", calibration.toSeconds());
            LoadResult max = new HttpLoad(Workloads.of("write-uniform", url), Duration.ofSeconds(2), calibration,
                    options.connections(), 0, System.err).run();
            rate = max.requestsPerSecond() / 2;
            figures.put("freshness.max_write_rate", max.requestsPerSecond());
        }
        double backgroundRate = rate;
        out.printf("freshness: background writes at %.0f/s for %d s while probing%n", rate, options.duration().toSeconds());
        CompletableFuture<LoadResult> background = CompletableFuture.supplyAsync(() ->
                new HttpLoad(Workloads.of("write-uniform", url), Duration.ZERO, options.duration(),
                        options.connections(), backgroundRate, System.err).run());
        Histogram afterAck = Latency.newHistogram();
        Histogram afterSend = Latency.newHistogram();
        long probes = 0;
        long post = FIRST_PROBE_POST;
        // The probes warm up too: the first probe of a run paid for the client's first connection and both JVMs'
        // first calls of the path (a single GET of 0.7-1.5 s), which alone made the p99 of a run of < 100 probes.
        long warmUntil = System.nanoTime() + options.warmup().toNanos();
        while (System.nanoTime() < warmUntil) {
            probe(url, post++);
            Waits.sleep(PROBE_GAP_MILLIS);
        }
        List<ProbeTimes> all = new ArrayList<>();
        while (!background.isDone()) {
            ProbeTimes probe = probe(url, post++);
            afterAck.recordValue(probe.visibleMicros());
            afterSend.recordValue(probe.ackMicros() + probe.visibleMicros());
            all.add(probe);
            probes++;
            Waits.sleep(PROBE_GAP_MILLIS);
        }
        long over100 = all.stream().filter(probe -> probe.visibleMicros() > 100_000).count();
        out.printf("freshness: %d of %d probes visible more than 100 ms after their answer; the slowest:%n", over100, probes);
        all.stream().sorted(Comparator.comparingLong(ProbeTimes::visibleMicros).reversed()).limit(SLOWEST_SHOWN)
                .forEach(probe -> out.printf("  sent %s, answered %d after %.1f ms, visible %.1f ms later, %d GETs%n",
                        probe.sentAt(), probe.status(), probe.ackMicros() / 1000.0, probe.visibleMicros() / 1000.0,
                        probe.reads()));
        LoadResult load = background.join();
        figures.row("freshness.after_ack", load.requestsPerSecond(), "bg writes/s", Latency.of(afterAck),
                probes + " probes (async PUT of a view); background " + load.mode() + " at " + Math.round(backgroundRate) + "/s");
        figures.row("freshness.after_send", load.requestsPerSecond(), "bg writes/s", Latency.of(afterSend),
                "PUT sent to count visible on GET");
        files.distribution("2xx to visible", afterAck).distribution("PUT sent to visible", afterSend)
                .distribution("background writes", load.corrected());
        return figures;
    }

    /** Writes a view to {@code post} without waiting for its count, then reads it until the count shows it. */
    private static ProbeTimes probe(String url, long post) {
        String counter = url + "/v1/" + post + "/views";
        Instant sentAt = Instant.now();
        long sent = System.nanoTime();
        Probe.Answer write = Probe.putAsync(counter, "{\"action\":\"increment\"}");
        long acknowledged = System.nanoTime();
        if (write.status() / 100 != 2) {
            throw new IllegalStateException("probe write answered " + write.status() + ": " + write.body());
        }
        int reads = 0;
        do {
            reads++;
            if (System.nanoTime() - acknowledged > VISIBLE_WITHIN_NANOS) {
                throw new IllegalStateException("the write to " + counter + " was not visible 30 s after its answer");
            }
        } while (Probe.get(counter).json().get("count").asLong() < 1);
        long visible = System.nanoTime();
        return new ProbeTimes(sentAt, write.status(), (acknowledged - sent) / 1000, (visible - acknowledged) / 1000, reads);
    }
}
