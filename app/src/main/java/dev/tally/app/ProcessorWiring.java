package dev.tally.app;

import dev.tally.live.DemoPage;
import dev.tally.live.LiveSettings;
import dev.tally.live.LocalSessions;
import dev.tally.live.PresenceAggregator;
import dev.tally.live.PresenceTable;
import dev.tally.live.StreamHub;
import dev.tally.live.StreamRoutes;
import dev.tally.processor.ProcessorRuntime;
import dev.tally.query.CountService;
import dev.tally.query.Hop;
import dev.tally.query.QueryRoutes;
import dev.tally.query.StandbyFreshness;
import dev.tally.runtime.Daemons;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.StreamsMetricsWithoutUncommittedBytes;
import java.time.Clock;
import java.time.Duration;

/**
 * The processor role: the stream processor and, since interactive queries live with the state, the read API,
 * the live-viewer gauge summed from every instance's presence reports, streams and the demo page. The processor
 * starts only once the node serves HTTP ({@link #start}): other instances forward reads to it from then on.
 */
final class ProcessorWiring {

    /** 1 while the stream processor is RUNNING: {@code tally_processor_running}. */
    static final String PROCESSOR_RUNNING = "tally.processor.running";
    /** Rebalances after the processor had been running: {@code tally_processor_rebalances_total}. */
    static final String PROCESSOR_REBALANCES = "tally.processor.rebalances";
    static final String RESTORES_FROM_START = "tally.processor.restores.from.start";
    static final String LOCAL_STORE_LAG = "tally.processor.local.store.lag.max";
    /**
     * Every 10 s instead of Micrometer's 60 s: per-partition metrics (lag) appear only when the binder looks again
     * after a rebalance, and Prometheus scrapes every 15 s.
     */
    private static final Duration STREAMS_METRICS_REFRESH = Duration.ofSeconds(10);
    /** How often the newest mirrored record of each peer is looked up: its age is computed afresh at each scrape. */
    private static final Duration REGION_LAG_INTERVAL = Duration.ofSeconds(1);

    private final ProcessorRuntime runtime;
    private final StreamHub streams;

    private ProcessorWiring(ProcessorRuntime runtime, StreamHub streams) {
        this.runtime = runtime;
        this.streams = streams;
    }

    static ProcessorWiring wire(NodeAssembly node, TallySettings settings, ViewerSessionsWiring.Viewers viewers, Clock clock) {
        LocalSessions sessions = viewers.sessions();
        LiveSettings live = settings.live();
        MeterRegistry registry = node.registry();
        ProcessorRuntime runtime = node.closeLater(new ProcessorRuntime(settings.processor()));
        node.closeLater(new StreamsMetricsWithoutUncommittedBytes(runtime.streams(), Tags.empty(), Daemons.scheduler("tally-streams-metrics"),
                STREAMS_METRICS_REFRESH)).bindTo(registry);
        registerRuntimeMeters(runtime, registry);
        if (!settings.topics().peerRegions().isEmpty()) {
            node.closeLater(new RegionLagWatch(settings.kafka(), settings.topics(), runtime.streams()::metrics, registry, clock)
                    .start(REGION_LAG_INTERVAL));
        }
        PresenceTable gauge = new PresenceTable(clock, live.instanceExpiry());
        PresenceAggregator presence = node.closeLater(new PresenceAggregator(live, gauge, registry).start());
        StandbyFreshness standbys = node.closeLater(StandbyFreshness.start(runtime.streams(), runtime::onStateChange,
                settings.kafka(), settings.processor().applicationId()));
        CountService counts = CountService.of(runtime.streams(), runtime::onStateChange, settings.query(),
                presence::liveUsers, registry, standbys);
        StreamHub hub = node.closeLater(new StreamHub(live,
                postIds -> counts.feed(postIds, Hop.CLIENT).thenApply(CountService.Feed::counters), sessions, registry).start());
        gauge.onChange(hub::changed);
        // Reports name the partition this node's streams listen on; the processor sends changes there.
        viewers.reporter().pushTo(hub::pushPartition);
        hub.onPushPartitionMoved(viewers.reporter()::reportAllNow);
        node.health().check("streams", runtime::canServeReads).check("presence", presence::isReady)
                .check("stream-changes", hub::isReady);
        node.routes().fixedWords(new StreamRoutes(hub)::register, "stream")
                .anyCounter(new QueryRoutes(counts)::register, "counters")
                .operational(new DemoPage()::register);
        return new ProcessorWiring(runtime, hub);
    }

    private static void registerRuntimeMeters(ProcessorRuntime runtime, MeterRegistry registry) {
        Gauge.builder(PROCESSOR_RUNNING, runtime, r -> r.isRunning() ? 1 : 0)
                .description("1 while the stream processor is RUNNING").register(registry);
        FunctionCounter.builder(PROCESSOR_REBALANCES, runtime, ProcessorRuntime::rebalances)
                .description("rebalances of the stream processor after it had been running").register(registry);
        FunctionCounter.builder(RESTORES_FROM_START, runtime, ProcessorRuntime::restoresFromStart)
                .description("store partitions rebuilt from the start of their changelog (a wiped task)")
                .register(registry);
        Gauge.builder(LOCAL_STORE_LAG, runtime, ProcessorRuntime::maxLocalStoreLag)
                .description("records the furthest-behind local store partition, active or standby, is behind its"
                        + " changelog; 1 when caught up, since exactly-once puts a commit marker after the last record")
                .register(registry);
    }

    /** Open streams are ended before the HTTP server stops: see {@link StreamHub#closeStreams}. */
    void closeStreamsBeforeServer(NodeAssembly node) {
        node.closeLater(streams::closeStreams);
    }

    void start() {
        runtime.start();
    }

    boolean isRunning() {
        return runtime.isRunning();
    }

    long refusedEvents() {
        return runtime.refusedEvents();
    }
}
