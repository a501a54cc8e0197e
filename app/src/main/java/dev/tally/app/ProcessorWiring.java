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
import dev.tally.query.QueryRoutes;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;

/**
 * The processor role: the stream processor and, since interactive queries live with the state, the read API,
 * the live-viewer gauge summed from every instance's presence reports, streams and the demo page. The processor
 * starts only once the node serves HTTP ({@link #start}): other instances forward reads to it from then on.
 */
final class ProcessorWiring {

    static final String RESTORES_FROM_START = "tally.processor.restores.from.start";
    static final String LOCAL_STORE_LAG = "tally.processor.local.store.lag.max";

    private final ProcessorRuntime runtime;
    private final CountService counts;
    private final StreamHub streams;

    private ProcessorWiring(ProcessorRuntime runtime, CountService counts, StreamHub streams) {
        this.runtime = runtime;
        this.counts = counts;
        this.streams = streams;
    }

    static ProcessorWiring wire(NodeAssembly node, TallySettings settings, LocalSessions sessions, Clock clock) {
        LiveSettings live = settings.live();
        ProcessorRuntime runtime = node.closeLater(new ProcessorRuntime(settings.processor()));
        node.closeLater(new KafkaStreamsMetrics(runtime.streams())).bindTo(node.metrics().registry());
        FunctionCounter.builder(RESTORES_FROM_START, runtime, ProcessorRuntime::restoresFromStart)
                .description("store partitions rebuilt from the start of their changelog (a wiped task)")
                .register(node.metrics().registry());
        Gauge.builder(LOCAL_STORE_LAG, runtime, ProcessorRuntime::maxLocalStoreLag)
                .description("records the furthest-behind local store partition, active or standby, is behind its"
                        + " changelog; 1 when caught up, since exactly-once puts a commit marker after the last record")
                .register(node.metrics().registry());
        PresenceTable gauge = new PresenceTable(clock, live.instanceExpiry());
        PresenceAggregator presence = node.closeLater(new PresenceAggregator(live, gauge).start());
        CountService counts = CountService.of(runtime.streams(), settings.query(), presence::liveUsers);
        StreamHub hub = node.closeLater(new StreamHub(live,
                postIds -> counts.feed(postIds, false).thenApply(CountService.Feed::counters), sessions).start());
        gauge.onChange(hub::changed);
        node.health().check("streams", runtime::isRunning).check("presence", presence::isReady)
                .check("stream-updates", hub::isReady);
        node.routes().fixedWords(new StreamRoutes(hub)::register, "stream")
                .anyCounter(new QueryRoutes(counts)::register, "counters")
                .operational(new DemoPage()::register);
        return new ProcessorWiring(runtime, counts, hub);
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

    long forwardedReads() {
        return counts.forwardedReads();
    }

    int openStreams() {
        return streams.openStreams();
    }
}
