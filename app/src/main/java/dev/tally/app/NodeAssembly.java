package dev.tally.app;

import dev.tally.http.Health;
import dev.tally.http.HttpMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the roles of one node add to it as they are wired: routes, readiness checks, meters, and the services
 * to stop. Closing stops the services in the reverse order they were added.
 */
final class NodeAssembly implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAssembly.class);

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final ApiRoutes routes = new ApiRoutes();
    private final Health health = new Health();
    private final HttpMetrics metrics;

    NodeAssembly(HttpMetrics metrics) {
        this.metrics = metrics;
    }

    ApiRoutes routes() {
        return routes;
    }

    Health health() {
        return health;
    }

    HttpMetrics metrics() {
        return metrics;
    }

    MeterRegistry registry() {
        return metrics.registry();
    }

    /** Stopped when the node closes, before everything added earlier. */
    <T extends AutoCloseable> T closeLater(T service) {
        running.push(service);
        return service;
    }

    @Override
    public void close() {
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                LOG.warn("error while stopping", e);
            }
        }
    }
}
