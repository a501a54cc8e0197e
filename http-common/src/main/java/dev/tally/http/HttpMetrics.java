package dev.tally.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The process's metrics, in Prometheus' text format at {@code GET /metrics}: every request's server-side time per
 * route and status (histogram buckets, one exactly at 1 ms), plus whatever the services register (Kafka clients,
 * Kafka Streams, JVM).
 */
public final class HttpMetrics {

    public static final String REQUESTS = "tally.http.server.requests";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void register(JavalinConfig config) {
        config.requestLogger.http((ctx, millis) -> timer(ctx).record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS));
        config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
    }

    private Timer timer(Context ctx) {
        return Timer.builder(REQUESTS)
                .description("time from request to response, measured inside the server")
                .tag("method", ctx.method().name())
                .tag("route", route(ctx))
                .tag("status", Integer.toString(ctx.statusCode()))
                .publishPercentileHistogram()
                // An exact bucket at the read target, so "share of reads under 1 ms" needs no interpolation.
                .serviceLevelObjectives(Duration.ofMillis(1))
                .minimumExpectedValue(Duration.ofMillis(1).dividedBy(20))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
    }

    private static String route(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException unmatched) {
            return "unmatched"; // 404s: one series, not one per path a client invents
        }
    }
}
