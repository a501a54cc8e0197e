package dev.tally.http;

import dev.tally.schemas.Json;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Builds the Javalin server of a tally process from the route groups of the services it hosts: ingest alone,
 * the processor's query API alone, or both on one port. Callers start it; tests start it on port 0.
 */
public final class TallyHttp {

    /** Jetty's acceptor and selector take some of the pool: fewer would leave no thread for requests. */
    public static final int MIN_THREADS = 6;
    /** Four request threads per core, at least 8: see {@link #create}. */
    public static final int DEFAULT_THREADS = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());

    private TallyHttp() {
    }

    /**
     * With at most {@code maxThreads} request threads. Handlers never wait on Kafka or on another instance (they
     * complete futures), so a few threads per core keep the cores busy; Jetty's default of 250 let 64 concurrent
     * GETs queue on Kafka Streams' interactive-query locks, and took the read p99 from about 40 to about 100 ms
     * (./tally bench read, 64 connections, 2 cores).
     */
    public static Javalin create(List<Consumer<JavalinConfig>> routeGroups, int maxThreads) {
        if (maxThreads < MIN_THREADS) {
            throw new IllegalArgumentException("at least " + MIN_THREADS + " HTTP threads are needed, not " + maxThreads);
        }
        return Javalin.create(config -> {
            QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(maxThreads, 4));
            threads.setName("http");
            config.jetty.threadPool = threads;
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.http.prefer405over404 = true;
            // Counts are small JSON bodies; compress them too when the client accepts gzip.
            CompressionStrategy gzip = new CompressionStrategy(null, new Gzip());
            gzip.setDefaultMinSizeForCompression(0);
            config.http.compressionStrategy = gzip;
            HttpErrors.install(config);
            routeGroups.forEach(group -> group.accept(config));
        });
    }
}
