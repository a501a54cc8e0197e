package dev.tally.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * The process's metrics, in Prometheus' text format at {@code GET /metrics}: every request's server-side time per
 * route and status ({@code http_server_requests_seconds}, Micrometer's name and {@code uri} tag, with histogram
 * buckets and one exactly at 1 ms), Jetty's request threads and connections, plus whatever the services register
 * on the same registry (Kafka clients, Kafka Streams, JVM, tally's own meters).
 */
public final class HttpMetrics {

    public static final String REQUESTS = "http.server.requests";

    private final PrometheusMeterRegistry registry;
    // Bounded: routes are templates and statuses few (see uri).
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    public HttpMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Both halves on one server: {@link #instrument} and {@link #scrapeRoute}. */
    public void register(JavalinConfig config) {
        instrument(config);
        scrapeRoute(config);
    }

    /** {@code GET /metrics}: on the public server, or on the admin port ({@code TALLY_ADMIN_PORT}). */
    public void scrapeRoute(JavalinConfig config) {
        config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    }

    /** Times the server's requests and measures its Jetty: the public server's, wherever the scrape is served. */
    public void instrument(JavalinConfig config) {
        config.requestLogger.http((ctx, millis) -> timer(ctx).record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS));
        config.jetty.modifyServer(server -> server.addEventListener(new LifeCycle.Listener() {
            // On starting, not now: Javalin adds its connectors after modifying the server.
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                bindJetty(server);
            }
        }));
    }

    private void bindJetty(Server server) {
        new JettyServerThreadPoolMetrics(server.getThreadPool(), Tags.empty()).bindTo(registry);
        JettyConnectionMetrics.addToAllConnectors(server, registry);
    }

    /**
     * The request's timer, built once per route and status: building it per request (a builder, its tags, the
     * registry's lookup of the id) cost more than a health check's whole handler.
     */
    private Timer timer(Context ctx) {
        TimerKey key = new TimerKey(ctx.method().name(), uri(ctx), ctx.statusCode());
        Timer timer = timers.get(key);
        return timer != null ? timer : timers.computeIfAbsent(key, this::register);
    }

    private record TimerKey(String method, String uri, int status) {
    }

    private Timer register(TimerKey key) {
        return Timer.builder(REQUESTS)
                .description("time from request to response, measured inside the server")
                .tag("method", key.method())
                .tag("uri", key.uri())
                .tag("status", Integer.toString(key.status()))
                .publishPercentileHistogram()
                // An exact bucket at the read target, so "share of reads under 1 ms" needs no interpolation.
                .serviceLevelObjectives(Duration.ofMillis(1))
                .minimumExpectedValue(Duration.ofMillis(1).dividedBy(20))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
    }

    /** The route's template, never the path itself: one series per route, however many posts are read. */
    private static String uri(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException unmatched) {
            return "unmatched"; // 404s: one series, not one per path a client invents
        }
    }
}
