package dev.tally.http;

import dev.tally.http.security.EdgeGuard;
import dev.tally.schemas.Json;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.http.UriCompliance;
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
    /** Long enough for the largest body (a 512 KiB batch) on a slow link; short enough that trickling clients go. */
    public static final Duration DEFAULT_BODY_DEADLINE = Duration.ofSeconds(10);
    /**
     * The most any body may be, kept in memory until it is complete: Javalin's own default, above the largest route
     * limit (the batch's 512 KiB). Routes check their own, smaller limits in {@link JsonBody#read}.
     */
    public static final int MAX_BODY_BYTES = 1_000_000;

    /**
     * Answers from this size on are gzipped for clients that accept it; smaller ones are sent as they are. A count
     * (about 90 bytes) grows by a tenth under gzip and fits one TCP segment either way, and setting up a compressor
     * per answer cost 13% of GET throughput; a feed of ten posts or more (1 KiB and up) shrinks 3-5 times.
     */
    public static final int GZIP_MIN_BYTES = 1024;

    /**
     * The chunk in which Javalin copies an answer into Jetty's response buffer, a new array every request. Javalin
     * takes Jetty's output buffer size (32 KiB) unless told: a JFR profile of {@code GET /health/live} under wrk
     * found 84% of all allocation there, 1.2 GB/s, for answers of a few hundred bytes. Jetty's own buffer stays
     * 32 KiB; a larger answer (a feed) is copied in several chunks.
     */
    public static final int RESPONSE_COPY_CHUNK = 4096;

    private TallyHttp() {
    }

    /**
     * With at most {@code maxThreads} request threads. Writes and forwarded reads complete futures instead of
     * waiting for Kafka or another instance, so a few threads per core keep the cores busy, and more would only
     * queue on Kafka Streams' interactive-query locks. One wait remains on a request thread, short and bounded:
     * an append waits for the producer's metadata or buffer space for at most its {@code max.block.ms} (a read of a
     * store that is moving between instances answers 503 at once). So few threads must never wait on a client: bodies are read before dispatch, without a
     * thread, and refused when not complete within {@code bodyDeadline} ({@link BodyBufferingHandler}).
     */
    public static Javalin create(List<Consumer<JavalinConfig>> routeGroups, int maxThreads, Duration bodyDeadline) {
        return create(routeGroups, maxThreads, bodyDeadline, EdgeGuard.development());
    }

    /**
     * With {@code guard} in front of every route: origin, client address, bearer token and rate limits are settled
     * before a route runs ({@link EdgeGuard}).
     */
    public static Javalin create(List<Consumer<JavalinConfig>> routeGroups, int maxThreads, Duration bodyDeadline,
                                 EdgeGuard guard) {
        if (maxThreads < MIN_THREADS) {
            throw new IllegalArgumentException("at least " + MIN_THREADS + " HTTP threads are needed, not " + maxThreads);
        }
        if (bodyDeadline.isNegative() || bodyDeadline.isZero()) {
            throw new IllegalArgumentException("the body deadline must be positive, not " + bodyDeadline);
        }
        return Javalin.create(config -> {
            QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(maxThreads, 4));
            threads.setName("http");
            config.jetty.threadPool = threads;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.http.responseBufferSize = RESPONSE_COPY_CHUNK;
            config.jetty.modifyServer(server -> {
                server.insertHandler(new BodyBufferingHandler(MAX_BODY_BYTES, bodyDeadline));
                server.setErrorHandler(new JsonErrorHandler());
            });
            // Javalin's LEGACY compliance lets %2F, %2e%2e and empty segments through to routes that cannot mean
            // them; Jetty's default refuses them with a 400 (in JSON, by the handler above).
            config.jetty.modifyHttpConfiguration(http -> http.setUriCompliance(UriCompliance.DEFAULT));
            // Errors raised inside the servlet context must not fall back to the servlet container's HTML page.
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JsonErrorHandler()));
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.http.prefer405over404 = true;
            // Gzip only where it pays: see GZIP_MIN_BYTES.
            CompressionStrategy gzip = new CompressionStrategy(null, new Gzip());
            gzip.setDefaultMinSizeForCompression(GZIP_MIN_BYTES);
            config.http.compressionStrategy = gzip;
            HttpErrors.install(config);
            RequestTargets.install(config);
            guard.install(config);
            routeGroups.forEach(group -> group.accept(config));
        });
    }
}
