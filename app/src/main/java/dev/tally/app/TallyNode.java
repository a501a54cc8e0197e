package dev.tally.app;

import dev.tally.http.Health;
import dev.tally.http.HttpMetrics;
import dev.tally.http.TallyHttp;
import dev.tally.ingest.BatchIngestRoutes;
import dev.tally.ingest.EventPublisher;
import dev.tally.ingest.IngestMeters;
import dev.tally.ingest.IngestRoutes;
import dev.tally.ingest.IngestSettings;
import dev.tally.ingest.WriteConfirmations;
import dev.tally.live.DemoPage;
import dev.tally.live.LiveRoutes;
import dev.tally.live.LiveSettings;
import dev.tally.live.LocalSessions;
import dev.tally.live.PresenceAggregator;
import dev.tally.live.PresenceReporter;
import dev.tally.live.PresenceTable;
import dev.tally.live.StreamHub;
import dev.tally.live.StreamRoutes;
import dev.tally.processor.ProcessorRuntime;
import dev.tally.query.CountService;
import dev.tally.query.QueryRoutes;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running tally process: the services of its roles, wired together and served on one HTTP port. Closing it
 * stops them in reverse order: the HTTP server first, so no request reaches a closed service.
 *
 * <p>Every node keeps and reports the viewer sessions opened on it; processor nodes also sum every instance's
 * reports into live_users and serve streams and the demo page. Routes with a fixed last segment
 * ({@code live_users}, {@code stream}) are registered before the {@code /v1/{post_id}/{counter}} routes, since
 * Javalin answers with the first route that matches.
 *
 * <p>All of them register their meters on this node's one registry, served at {@code /metrics}; the names that
 * deploy/grafana and deploy/prometheus use are checked against a real scrape by {@code MetricsContractIntegrationTest}.
 */
public final class TallyNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TallyNode.class);
    /** 1 while the stream processor is RUNNING: {@code tally_processor_running}. */
    static final String PROCESSOR_RUNNING = "tally.processor.running";
    /** Rebalances after the processor had been running: {@code tally_processor_rebalances_total}. */
    static final String PROCESSOR_REBALANCES = "tally.processor.rebalances";
    private static final Duration REPLICATION_CHECK_INTERVAL = Duration.ofSeconds(30);
    private static final Duration STREAMS_METRICS_REFRESH = Duration.ofSeconds(10);

    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final Javalin http;
    private final ProcessorRuntime processor;
    private final HttpMetrics metrics = new HttpMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

    private TallyNode(TallySettings settings, String bootstrapServers, Set<Role> roles) {
        Health health = new Health();
        PrometheusMeterRegistry registry = metrics.registry();
        new JvmMemoryMetrics().bindTo(registry);
        closeLater(new JvmGcMetrics()).bindTo(registry);
        List<Consumer<JavalinConfig>> routes = new ArrayList<>();
        routes.add(metrics::register);
        ProcessorRuntime runtime = null;
        StreamHub hub = null;
        try {
            closeLater(new ReplicationWatch(bootstrapServers, settings.topics(), registry).start(REPLICATION_CHECK_INTERVAL));
            LiveSettings live = settings.live(bootstrapServers);
            LocalSessions sessions = new LocalSessions(Clock.systemUTC(), live.sessionTimeout());
            Gauge.builder(LocalSessions.OPEN, sessions, LocalSessions::total)
                    .description("viewer sessions open on this instance, joined and streaming").register(registry);
            closeLater(new PresenceReporter(live, sessions, Clock.systemUTC(), registry).start());
            routes.add(new LiveRoutes(sessions, live)::register);
            if (roles.contains(Role.INGEST)) {
                IngestSettings ingest = settings.ingest(bootstrapServers);
                WriteConfirmations confirmations = closeLater(new WriteConfirmations(ingest, registry).start());
                EventPublisher publisher = closeLater(new EventPublisher(ingest, registry).connect());
                health.check("producer", publisher::isConnected).check("updates", confirmations::isReady);
                IngestMeters meters = new IngestMeters(registry);
                routes.add(closeLater(new IngestRoutes(ingest, publisher, confirmations, Clock.systemUTC(), meters))::register);
                routes.add(new BatchIngestRoutes(ingest, publisher, Clock.systemUTC(), meters)::register);
            }
            if (roles.contains(Role.PROCESSOR)) {
                runtime = closeLater(new ProcessorRuntime(settings.processor(bootstrapServers)));
                // Every 10 s instead of Micrometer's 60 s: per-partition metrics (lag) appear only when this looks
                // again after a rebalance, and Prometheus scrapes every 15 s.
                closeLater(new KafkaStreamsMetrics(runtime.streams(), Tags.empty(), daemonScheduler("tally-streams-metrics"),
                        STREAMS_METRICS_REFRESH)).bindTo(registry);
                Gauge.builder(PROCESSOR_RUNNING, runtime, r -> r.isRunning() ? 1 : 0)
                        .description("1 while the stream processor is RUNNING").register(registry);
                FunctionCounter.builder(PROCESSOR_REBALANCES, runtime, ProcessorRuntime::rebalances)
                        .description("rebalances of the stream processor after it had been running").register(registry);
                PresenceTable gauge = new PresenceTable(Clock.systemUTC(), live.instanceExpiry());
                PresenceAggregator presence = closeLater(new PresenceAggregator(live, gauge, registry).start());
                CountService counts = new CountService(runtime.streams(), settings.query(), presence::liveUsers, registry);
                hub = closeLater(new StreamHub(live,
                        postIds -> counts.feed(postIds, false).thenApply(CountService.Feed::counters), sessions, registry).start());
                gauge.onChange(hub::changed);
                health.check("streams", runtime::canServeReads).check("presence", presence::isReady)
                        .check("stream-updates", hub::isReady);
                routes.add(new StreamRoutes(hub)::register);
                routes.add(new QueryRoutes(counts)::register);
                routes.add(new DemoPage()::register);
            }
            routes.add(health::routes);
            this.http = TallyHttp.create(routes, settings.httpThreads());
            running.push(http::stop);
            if (hub != null) {
                running.push(hub::closeStreams); // before the server stops: see closeStreams
            }
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

    private static ScheduledExecutorService daemonScheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    private <T extends AutoCloseable> T closeLater(T service) {
        running.push(service);
        return service;
    }

    public int port() {
        return http.port();
    }

    /** This node's meters: server time per route, Jetty, JVM, Kafka clients and Streams, tally's own. */
    public HttpMetrics metrics() {
        return metrics;
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
