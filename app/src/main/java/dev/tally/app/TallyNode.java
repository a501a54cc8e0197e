package dev.tally.app;

import dev.tally.http.HttpMetrics;
import dev.tally.http.TallyHttp;
import dev.tally.http.security.EdgeGuard;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One running tally process: the services of its roles ({@link IngestWiring}, {@link ProcessorWiring}; both for
 * the all-in-one {@code ./tally run}), wired together and served on one HTTP port in the order {@link ApiRoutes}
 * decides. Closing it stops them in reverse order: the HTTP server first, so no request reaches a closed service.
 *
 * <p>Every service registers its meters on this node's one registry, served at {@code /metrics}; the names that
 * deploy/grafana and deploy/prometheus use are checked against a real scrape by {@code MetricsContractIntegrationTest}.
 */
public final class TallyNode implements AutoCloseable {

    private static final Duration REPLICATION_CHECK_INTERVAL = Duration.ofSeconds(30);

    private final NodeAssembly node;
    private final Javalin http;
    private final Javalin admin;
    private final ProcessorWiring processor;

    private TallyNode(TallySettings settings, Set<Role> roles) {
        Clock clock = Clock.systemUTC();
        this.node = new NodeAssembly(new HttpMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
        try {
            new JvmMemoryMetrics().bindTo(node.registry());
            node.closeLater(new JvmGcMetrics()).bindTo(node.registry());
            node.routes().admin(node.metrics()::scrapeRoute).admin(node.health()::routes)
                    .operational(new OpenApiDocument()::register);
            node.closeLater(new ReplicationWatch(settings.kafka(), settings.topics(), node.registry())
                    .start(REPLICATION_CHECK_INTERVAL));
            var viewers = ViewerSessionsWiring.wire(node, settings.live(), clock);
            if (roles.contains(Role.INGEST)) {
                IngestWiring.wire(node, settings.ingest(), clock);
            }
            this.processor = roles.contains(Role.PROCESSOR) ? ProcessorWiring.wire(node, settings, viewers, clock) : null;
            List<Consumer<JavalinConfig>> publicRoutes = new ArrayList<>();
            publicRoutes.add(node.metrics()::instrument);
            publicRoutes.addAll(settings.adminPort().isPresent() ? node.routes().publicOnly() : node.routes().inOrder());
            this.http = TallyHttp.create(publicRoutes, settings.httpThreads(), settings.httpBodyDeadline(),
                    new EdgeGuard(settings.security()));
            node.closeLater(http::stop);
            // Health and metrics on a port of their own, which only the platform reaches: neither is the clients'
            // business, and a scrape must not compete with them for rate limits or threads.
            this.admin = settings.adminPort().map(port -> TallyHttp.create(node.routes().admin(), TallyHttp.MIN_THREADS,
                    settings.httpBodyDeadline())).orElse(null);
            if (admin != null) {
                node.closeLater(admin::stop);
            }
            if (processor != null) {
                processor.closeStreamsBeforeServer(node);
            }
            if (admin != null) {
                admin.start(settings.httpHost(), settings.adminPort().orElseThrow());
            }
            http.start(settings.httpHost(), settings.httpPort());
            if (processor != null) {
                processor.start();
            }
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    public static TallyNode start(TallySettings settings, Set<Role> roles) {
        return new TallyNode(settings, roles);
    }

    public int port() {
        return http.port();
    }

    /** The port of health and metrics: the admin port when {@code TALLY_ADMIN_PORT} is set, else the public one. */
    public int adminPort() {
        return admin == null ? http.port() : admin.port();
    }

    /** This node's meters: server time per route, Jetty, JVM, Kafka clients and Streams, tally's own. */
    public HttpMetrics metrics() {
        return node.metrics();
    }

    public boolean isProcessorRunning() {
        return processor != null && processor.isRunning();
    }

    /** Records of the event topic this node's processor refused since it started (0 without the processor role). */
    public long refusedEvents() {
        return processor == null ? 0 : processor.refusedEvents();
    }

    @Override
    public void close() {
        node.close();
    }
}
