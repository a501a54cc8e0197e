package dev.tally.bench;

import dev.tally.http.HttpMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The server's own handling times of one route, read from the Micrometer timer tally publishes at /metrics, for
 * exactly the window of a load: the timer's cumulative histogram buckets are read at the mark and at the end, and
 * the difference becomes an HdrHistogram (each request at its bucket's upper bound, so percentiles err high, never
 * low; buckets are about 10% apart, with one exactly at 1 ms).
 */
final class ServerTimes {

    private final MeterRegistry registry;
    private final String method;
    private final String route;
    // Set by a timer thread at the end of the warm-up.
    private volatile Map<Double, Double> atMark = Map.of();

    ServerTimes(MeterRegistry registry, String methodAndRoute) {
        this.registry = registry;
        int space = methodAndRoute.indexOf(' ');
        this.method = methodAndRoute.substring(0, space);
        this.route = methodAndRoute.substring(space + 1);
    }

    void mark() {
        atMark = cumulative();
    }

    /** Handling times in microseconds since {@link #mark()}. */
    Histogram sinceMark() {
        Histogram micros = Latency.newHistogram();
        double previous = 0;
        for (Map.Entry<Double, Double> bucket : cumulative().entrySet()) {
            double cumulative = bucket.getValue() - atMark.getOrDefault(bucket.getKey(), 0.0);
            long inBucket = Math.round(cumulative - previous);
            if (inBucket > 0) {
                long upperMicros = Math.max(1, Math.round(bucket.getKey() / 1000.0));
                micros.recordValueWithCount(Math.min(upperMicros, micros.getHighestTrackableValue()), inBucket);
            }
            previous = cumulative;
        }
        return micros;
    }

    /** Upper bound in nanoseconds → requests at or under it, summed over the route's status codes. */
    private Map<Double, Double> cumulative() {
        Map<Double, Double> counts = new TreeMap<>();
        for (Timer timer : registry.find(HttpMetrics.REQUESTS).tag("method", method).tag("uri", route).timers()) {
            for (CountAtBucket bucket : timer.takeSnapshot().histogramCounts()) {
                counts.merge(bucket.bucket(TimeUnit.NANOSECONDS), bucket.count(), Double::sum);
            }
        }
        return counts;
    }
}
