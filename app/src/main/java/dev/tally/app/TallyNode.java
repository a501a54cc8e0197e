package dev.tally.app;

import dev.tally.http.Health;
import dev.tally.http.ServerTimings;
import dev.tally.http.TallyHttp;
import dev.tally.ingest.BatchIngestRoutes;
import dev.tally.ingest.EventPublisher;
import dev.tally.ingest.IngestRoutes;
import dev.tally.ingest.IngestSettings;
import dev.tally.ingest.WriteConfirmations;
import dev.tally.processor.ProcessorRuntime;
import dev.tally.query.CountService;
import dev.tally.query.QueryRoutes;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running tally process: the services of its roles, wired together and served on one HTTP port. Closing it
 * stops them in reverse order: the HTTP server first, so no request reaches a closed service.
 */
public final class TallyNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TallyNode.class);

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Javalin http;
    private final ProcessorRuntime processor;
    private final ServerTimings timings = new ServerTimings();

    private TallyNode(TallySettings settings, String bootstrapServers, Set<Role> roles) {
        Health health = new Health();
        List<Consumer<JavalinConfig>> routes = new ArrayList<>();
        ProcessorRuntime runtime = null;
        try {
            if (roles.contains(Role.INGEST)) {
                IngestSettings ingest = settings.ingest(bootstrapServers);
                WriteConfirmations confirmations = closeLater(new WriteConfirmations(ingest).start());
                EventPublisher publisher = closeLater(new EventPublisher(ingest).connect());
                health.check("producer", publisher::isConnected).check("updates", confirmations::isReady);
                routes.add(new IngestRoutes(ingest, publisher, confirmations, Clock.systemUTC())::register);
                routes.add(new BatchIngestRoutes(ingest, publisher, Clock.systemUTC())::register);
            }
            if (roles.contains(Role.PROCESSOR)) {
                runtime = closeLater(new ProcessorRuntime(settings.processor(bootstrapServers)));
                CountService counts = new CountService(runtime.streams(), settings.query(), null);
                health.check("streams", runtime::isRunning);
                routes.add(new QueryRoutes(counts)::register);
            }
            routes.add(health::routes);
            routes.add(timings::register);
            this.http = TallyHttp.create(routes);
            running.push(http::stop);
            http.start(settings.httpHost(), settings.httpPort());
            if (runtime != null) {
                runtime.start();
            }
            this.processor = runtime;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public static TallyNode start(TallySettings settings, String bootstrapServers, Set<Role> roles) {
        return new TallyNode(settings, bootstrapServers, roles);
    }

    private <T extends AutoCloseable> T closeLater(T service) {
        running.push(service);
        return service;
    }

    public int port() {
        return http.port();
    }

    /** Server-side handling time per route, for the benchmark's server-side latency figures. */
    public ServerTimings timings() {
        return timings;
    }

    public boolean isProcessorRunning() {
        return processor != null && processor.isRunning();
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
