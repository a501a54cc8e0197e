package dev.tally.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * How long the server spent on each request, from Jetty handing it to Javalin until the response was written
 * (async handlers included), per route such as {@code GET /v1/{post_id}/{counter}}. A client's latency adds the
 * network and its own queueing to this; the benchmark reads both to tell them apart. Recording is lock-free.
 */
public final class ServerTimings {

    /** Microseconds, up to a minute, three significant digits. */
    private static final long HIGHEST_MICROS = 60_000_000L;

    private final ConcurrentHashMap<String, Recorder> routes = new ConcurrentHashMap<>();

    public void register(JavalinConfig config) {
        config.requestLogger.http((ctx, millis) -> record(route(ctx), millis));
    }

    private void record(String route, float millis) {
        long micros = Math.min(HIGHEST_MICROS, Math.max(0, Math.round(millis * 1000.0)));
        routes.computeIfAbsent(route, r -> new Recorder(HIGHEST_MICROS, 3)).recordValue(micros);
    }

    private static String route(Context ctx) {
        try {
            return ctx.method() + " " + ctx.endpoint().path;
        } catch (RuntimeException noEndpoint) {
            // 404s and other requests no route matched.
            return ctx.method() + " (unmatched)";
        }
    }

    /**
     * The handling times of a route, in microseconds, since the previous call for that route (the first call
     * returns everything so far), so a caller can measure exactly the window of its own load.
     */
    public Histogram takeInterval(String route) {
        Recorder recorder = routes.computeIfAbsent(route, r -> new Recorder(HIGHEST_MICROS, 3));
        return recorder.getIntervalHistogram();
    }
}
