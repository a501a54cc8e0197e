package dev.tally.app;

import dev.tally.http.HttpMetrics;
import dev.tally.http.TallyHttp;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import java.time.Clock;
import java.util.Set;

/**
 * One running tally process: the services of its roles ({@link IngestWiring}, {@link ProcessorWiring}; both for
 * the all-in-one {@code ./tally run}), wired together and served on one HTTP port in the order {@link ApiRoutes}
 * decides. Closing it stops them in reverse order: the HTTP server first, so no request reaches a closed service.
 */
public final class TallyNode implements AutoCloseable {

    private final NodeAssembly node;
    private final Javalin http;
    private final ProcessorWiring processor;

    private TallyNode(TallySettings settings, Set<Role> roles) {
        Clock clock = Clock.systemUTC();
        this.node = new NodeAssembly(new HttpMetrics());
        try {
            new JvmMemoryMetrics().bindTo(node.metrics().registry());
            new JvmGcMetrics().bindTo(node.metrics().registry());
            node.routes().operational(node.metrics()::register).operational(node.health()::routes);
            var sessions = ViewerSessionsWiring.wire(node, settings.live(), clock);
            if (roles.contains(Role.INGEST)) {
                IngestWiring.wire(node, settings.ingest(), clock);
            }
            this.processor = roles.contains(Role.PROCESSOR) ? ProcessorWiring.wire(node, settings, sessions, clock) : null;
            this.http = TallyHttp.create(node.routes().inOrder(), settings.httpThreads(), settings.httpBodyDeadline());
            node.closeLater(http::stop);
            if (processor != null) {
                processor.closeStreamsBeforeServer(node);
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

    /** This node's meters: server time per route, JVM, Kafka Streams. */
    public HttpMetrics metrics() {
        return node.metrics();
    }

    public boolean isProcessorRunning() {
        return processor != null && processor.isRunning();
    }

    /** Reads this node forwarded to other instances since it started (0 without the processor role). */
    public long forwardedReads() {
        return processor == null ? 0 : processor.forwardedReads();
    }

    /** Records of the event topic this node's processor refused since it started (0 without the processor role). */
    public long refusedEvents() {
        return processor == null ? 0 : processor.refusedEvents();
    }

    /** Streams open on this node right now. */
    public int openStreams() {
        return processor == null ? 0 : processor.openStreams();
    }

    @Override
    public void close() {
        node.close();
    }
}
