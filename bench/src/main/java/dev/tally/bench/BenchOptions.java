package dev.tally.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The command line of {@code ./tally bench <scenario> [options]}.
 *
 * @param url         a running tally to load; empty starts one in-process (embedded broker, temp dir, free ports)
 * @param bootstrap   that tally's Kafka, to count events end to end from the processor's committed offsets
 * @param rate        requests per second for a fixed-rate (open-loop) run; 0 runs closed-loop, as fast as answered
 * @param events      how many events the storage and replay scenarios load straight into the topic
 * @param preload     how many posts the read scenarios give a count before reading (local tally only)
 * @param figures     a file to append this run's figures to, for {@code bench report} (compare.sh)
 * @param redis       the Redis that serve-http-redis increments, as {@code redis://HOST:PORT}
 * @param dataDir     serve-tally: run on this directory and keep it (with TALLY_*_PORT from the environment)
 */
record BenchOptions(
        String scenario,
        Optional<String> url,
        Optional<String> bootstrap,
        String applicationId,
        Duration duration,
        Duration warmup,
        int connections,
        double rate,
        int events,
        int preload,
        Path resultsDir,
        Optional<Path> figures,
        Optional<String> redis,
        Optional<Path> dataDir) {

    static final String USAGE = """
            usage: tally bench <scenario> [--url URL] [--duration 30s] [--connections N] [--rate R] [--warmup 5s]
                               [--events N] [--preload N] [--bootstrap HOST:PORT] [--figures FILE] [--results DIR]
                               [--redis redis://HOST:PORT] [--data-dir DIR]
            scenarios:
              write-uniform  PUT likes and views over 1 M posts and 100 k users
              write-hot      the same writes, all to post 1
              write-hot-likes  likes only, all to post 1, each from a user who has not liked it yet
              write-async    write-uniform with Prefer: respond-async (202 once durable, counted later)
              write-batch    POST /v1/events with 1,000 uniform events each
              read           GET one counter over 1 M posts
              read-half      the same GETs at a fixed --rate (compare.sh: half of read's), for server-side latency
              mixed          10 reads : 1 write
              feed           GET /v1/counters with 50 posts each
              freshness      time from a PUT's answer to its count on GET, at half the measured max write rate
              storage        bytes on disk per counter and per like edge after loading --events posts
              replay         events already in Kafka: tally's topology vs groupByKey().count(), both exactly-once
              http-floor     GETs of a static Javalin endpoint: the floor of HTTP on this machine
              broker         an embedded broker for Kafka's ProducerPerformance, until --duration ends
              report FILE    the table of a figures file with the targets' ratios
            servers for a native load generator (compare.sh), until stopped; each prints "serving URL ...":
              serve-tally       a whole tally in this process (--preload N posts, --data-dir DIR to keep its data),
                                with a control API for the processor's progress and the server's own times
              serve-static      the static Javalin endpoint
              serve-http-redis  Javalin + Redis: PUT is INCR, GET is GET (--redis redis://127.0.0.1:PORT)
            without --url, tally runs in this process on an embedded broker in a temporary directory""";

    static BenchOptions parse(String[] args) {
        if (args.length == 0 || args[0].startsWith("-")) {
            throw new IllegalArgumentException("name a scenario");
        }
        String scenario = args[0];
        Optional<String> url = Optional.empty();
        Optional<String> bootstrap = Optional.empty();
        String applicationId = "tally-processor";
        Duration duration = Duration.ofSeconds(30);
        Duration warmup = Duration.ofSeconds(5);
        int connections = 64;
        double rate = 0;
        int events = 1_000_000;
        int preload = 100_000;
        Path results = Path.of("bench", "results");
        Optional<Path> figures = Optional.empty();
        Optional<String> redis = Optional.empty();
        Optional<Path> dataDir = Optional.empty();
        for (int i = 1; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--url" -> url = Optional.of(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
                case "--bootstrap" -> bootstrap = Optional.of(value);
                case "--application-id" -> applicationId = value;
                case "--duration" -> duration = duration(value);
                case "--warmup" -> warmup = duration(value);
                case "--connections" -> connections = positive(name, Integer.parseInt(value));
                case "--rate" -> rate = Double.parseDouble(value);
                case "--events" -> events = positive(name, Integer.parseInt(value));
                case "--preload" -> preload = Integer.parseInt(value);
                case "--results" -> results = Path.of(value);
                case "--figures" -> figures = Optional.of(Path.of(value));
                case "--redis" -> redis = Optional.of(value);
                case "--data-dir" -> dataDir = Optional.of(Path.of(value));
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new BenchOptions(scenario, url, bootstrap, applicationId, duration, warmup, connections, rate, events,
                preload, results, figures, redis, dataDir);
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m}, or plain seconds. */
    static Duration duration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
        }
        if (text.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)) * 60);
        }
        return Duration.ofSeconds(Long.parseLong(text));
    }

    private static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }
}
