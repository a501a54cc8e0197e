package dev.tally.bench;

import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./tally bench serve-tally | serve-static | serve-http-redis}: one system under test, alone in its JVM, for a
 * native load generator (wrk, h2load) that compare.sh runs against it. Prints one line,
 * {@code serving URL [control URL] [bootstrap SERVERS]}, then serves until the process is stopped (SIGTERM).
 *
 * <p>A tally also serves a control API on its own port, so the script can read what only the process knows:
 * <ul>
 *   <li>{@code GET /progress}: {@code committed end}, the processor's committed offsets and the end of the events
 *       topic, summed over partitions ({@link ProcessorProgress}); {@code GET /caught-up?seconds=N} the same once
 *       committed reaches the end seen at the call (or 504 after N s);</li>
 *   <li>{@code POST /server-times/mark?route=R} and {@code GET /server-times?route=R}: the server's own handling
 *       times of route {@code get}, {@code put} or {@code batch} since the mark, as
 *       {@code count p50 p99 p99.9 max} in ms ({@link ServerTimes}).</li>
 * </ul>
 */
final class BenchServer {

    private static final Map<String, String> ROUTES = Map.of(
            "get", "GET /v1/{post_id}/{counter}",
            "put", "PUT /v1/{post_id}/{counter}",
            "batch", "POST /v1/events");

    private final BenchOptions options;
    private final PrintStream out;
    private final List<AutoCloseable> resources = new ArrayList<>();

    BenchServer(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    void run() {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            closeAll();
            stopped.countDown();
        }, "bench-server-shutdown"));
        String line = switch (options.scenario()) {
            case "serve-static" -> {
                StaticEndpoint endpoint = new StaticEndpoint();
                resources.add(endpoint);
                yield "serving " + endpoint.url() + StaticEndpoint.PATH;
            }
            case "serve-http-redis" -> serveHttpRedis();
            case "serve-tally" -> serveTally();
            default -> throw new IllegalArgumentException("no system named " + options.scenario());
        };
        out.println(line);
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String serveHttpRedis() {
        RedisClient client = RedisClient.create(options.redis().orElseThrow(() ->
                new IllegalArgumentException("serve-http-redis needs --redis redis://HOST:PORT")));
        StatefulRedisConnection<String, String> connection = client.connect();
        resources.add(client::shutdown);
        resources.add(connection);
        Javalin http = RedisHttp.create(connection.async()).start("127.0.0.1", 0);
        resources.add(http::stop);
        return "serving http://127.0.0.1:" + http.port();
    }

    private String serveTally() {
        LocalTally tally = LocalTally.start(options.dataDir());
        resources.add(tally);
        ProcessorProgress progress = new ProcessorProgress(tally.bootstrapServers(), tally.applicationId(),
                tally.settings().topics().events());
        resources.add(progress);
        if (options.preload() > 0) {
            out.printf("serve-tally: giving posts 1..%,d a view and a like, straight into Kafka%n", options.preload());
            new EventLoader(tally.bootstrapServers(), tally.settings().topics().events(), tally.settings().shared().counters()).loadPosts(options.preload());
            progress.awaitCaughtUp(600);
        }
        Map<String, ServerTimes> times = new ConcurrentHashMap<>();
        Javalin control = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/progress", ctx -> ctx.result(progress.committed() + " " + progress.end()));
            config.routes.get("/caught-up", ctx -> {
                progress.awaitCaughtUp(ctx.queryParamAsClass("seconds", Integer.class).getOrDefault(120));
                ctx.result(progress.committed() + " " + progress.end());
            });
            config.routes.post("/server-times/mark", ctx -> times.computeIfAbsent(route(ctx), route ->
                    new ServerTimes(tally.app().node().metrics().registry(), route)).mark());
            config.routes.get("/server-times", ctx -> {
                ServerTimes since = times.get(route(ctx));
                if (since == null) {
                    throw new BadRequestResponse("mark the route first");
                }
                Latency latency = Latency.of(since.sinceMark());
                ctx.result(String.format(Locale.ROOT, "%d %.3f %.3f %.3f %.3f", latency.count(), latency.p50(),
                        latency.p99(), latency.p999(), latency.max()));
            });
        }).start("127.0.0.1", 0);
        resources.add(control::stop);
        return "serving " + tally.url() + " control http://127.0.0.1:" + control.port() + " bootstrap "
                + tally.bootstrapServers();
    }

    private static String route(Context ctx) {
        String route = ROUTES.get(ctx.queryParam("route"));
        if (route == null) {
            throw new BadRequestResponse("route is one of " + ROUTES.keySet());
        }
        return route;
    }

    /** In reverse order of opening: the control API before the tally it reads. */
    private void closeAll() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("bench: closing " + resources.get(i) + " failed: " + e);
            }
        }
    }
}
