package dev.tally.bench;

import dev.tally.schemas.TopicNames;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * write-uniform, write-hot, write-hot-likes, write-batch, read, mixed, feed and http-floor: one HTTP load run, against a tally given
 * by URL or one started in this process. For writes it also counts events from the processor's committed offsets (a
 * local tally, or --bootstrap), since a PUT's answer only shows what HTTP saw: the rate counted while the load ran
 * and the backlog left at its end. Against a local tally it
 * reads the server's own handling times too, to tell server latency from client and network.
 */
final class HttpScenario {

    private final BenchOptions options;
    private final PrintStream out;

    HttpScenario(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    Figures run(ResultFiles files) {
        String scenario = options.scenario();
        if (scenario.equals("http-floor")) {
            try (StaticEndpoint endpoint = new StaticEndpoint()) {
                return load(endpoint.url(), Optional.empty(), Optional.empty(), files);
            }
        }
        if (options.url().isPresent()) {
            Optional<ProcessorProgress> progress = options.bootstrap().map(bootstrap ->
                    new ProcessorProgress(bootstrap, options.applicationId(), TopicNames.defaults().events()));
            try {
                return load(options.url().get(), progress, Optional.empty(), files);
            } finally {
                progress.ifPresent(ProcessorProgress::close);
            }
        }
        out.println(scenario + ": starting tally in-process");
        try (LocalTally tally = LocalTally.start();
             ProcessorProgress progress = new ProcessorProgress(tally.bootstrapServers(), tally.applicationId(),
                     tally.settings().topics().events())) {
            if (isRead(scenario) && options.preload() > 0) {
                out.printf("%s: giving posts 1..%,d a view and a like, straight into Kafka%n", scenario, options.preload());
                new EventLoader(tally.bootstrapServers(), tally.settings().topics().events(), tally.settings().shared().counters()).loadPosts(options.preload());
                progress.awaitCaughtUp(600);
            }
            return load(tally.url(), Optional.of(progress), Optional.of(tally), files);
        }
    }

    private Figures load(String url, Optional<ProcessorProgress> progress, Optional<LocalTally> local, ResultFiles files) {
        String scenario = options.scenario();
        Workload workload = Workloads.of(scenario, url);
        String route = route(scenario);
        Optional<ServerTimes> serverTimes = local.map(tally -> new ServerTimes(tally.app().node().metrics().registry(), route));
        // Server-side times count from the end of the warm-up, as the client's do: JIT compilation is not the server.
        serverTimes.ifPresent(times -> CompletableFuture.delayedExecutor(options.warmup().toMillis(), TimeUnit.MILLISECONDS)
                .execute(times::mark));
        long countedBefore = progress.map(ProcessorProgress::committed).orElse(0L);
        long started = System.nanoTime();
        LoadResult result = new HttpLoad(workload, options.warmup(), options.duration(), options.connections(),
                options.rate(), System.err).run();
        Figures figures = new Figures();
        String note = result.mode() + ", " + result.connections() + " connections"
                + (result.failed() + result.errors() > 0 ? ", " + result.failed() + " non-2xx, " + result.errors() + " errors" : "");
        figures.row(scenario, result.requestsPerSecond(), "req/s", result.summary(), note);
        figures.put(scenario + ".raw_p99_ms", result.rawSummary().p99());
        files.distribution(scenario + " (client, CO-corrected)", result.corrected());
        if (result.events() > 0) {
            figures.put(scenario + ".events_per_s", result.eventsPerSecond());
            figures.put(scenario + ".answered_with_count_per_s", result.confirmedEventsPerSecond());
            figures.put(scenario + ".answered_202", result.accepted());
        }
        if (result.events() > 0 && progress.isPresent()) {
            // Counted means sustained: what the processor committed while the load ran, and what it left behind.
            long committedAtEnd = progress.get().committed();
            long backlog = progress.get().end() - committedAtEnd;
            double loadSeconds = (System.nanoTime() - started) / 1e9;
            figures.put(scenario + ".counted_per_s", (committedAtEnd - countedBefore) / loadSeconds);
            figures.put(scenario + ".backlog", backlog);
            long drained = progress.get().awaitCaughtUp(300);
            long counted = progress.get().committed() - countedBefore;
            double seconds = (drained - started) / 1e9;
            figures.put(scenario + ".counted_end_to_end_per_s", counted / seconds);
            out.printf("%s: %,.0f events/s counted while the load ran (warm-up included), %,d left uncounted at its "
                    + "end; all %,d counted %.1f s after the first request%n", scenario,
                    (committedAtEnd - countedBefore) / loadSeconds, backlog, counted, seconds);
        }
        serverTimes.ifPresent(times -> {
            Histogram server = times.sinceMark();
            Latency latency = Latency.of(server);
            if (latency.count() > 0) {
                figures.put(scenario + ".server_p50_ms", latency.p50()).put(scenario + ".server_p99_ms", latency.p99())
                        .put(scenario + ".server_p999_ms", latency.p999()).put(scenario + ".server_max_ms", latency.max());
                files.distribution(scenario + " (server, " + route + ")", server);
            }
        });
        return figures;
    }

    static boolean isRead(String scenario) {
        return scenario.equals("read") || scenario.equals("read-half") || scenario.equals("mixed") || scenario.equals("feed");
    }

    /** The route whose server-side times the scenario reports (mixed: its reads). */
    private static String route(String scenario) {
        return switch (scenario) {
            case "write-uniform", "write-hot", "write-hot-likes", "write-async" -> "PUT /v1/{post_id}/{counter}";
            case "write-batch" -> "POST /v1/events";
            case "feed" -> "GET /v1/counters";
            default -> "GET /v1/{post_id}/{counter}";
        };
    }
}
