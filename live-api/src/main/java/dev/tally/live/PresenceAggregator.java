package dev.tally.live;

import dev.tally.kafka.TopicTail;
import dev.tally.runtime.Daemons;
import dev.tally.schemas.JsonSerde;
import dev.tally.schemas.PresenceReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Feeds every presence report of every instance into this instance's {@link PresenceTable}, and sweeps expired
 * reports once per report interval. Every read instance keeps the whole table: it is small (one entry per post
 * and instance with viewers), and it lets each instance answer live_users and push its changes without asking
 * another one.
 */
public final class PresenceAggregator implements AutoCloseable {

    /** Presence reports read from the topic, every instance's: {@code tally_presence_reports_received_total}. */
    public static final String RECEIVED = "tally.presence.reports.received";

    private final LiveSettings settings;
    private final PresenceTable table;
    private final TopicTail<PresenceReport> tail;
    private final KafkaClientMetrics tailMetrics;
    private final ScheduledExecutorService sweeper;

    public PresenceAggregator(LiveSettings settings, PresenceTable table, MeterRegistry registry) {
        this.settings = settings;
        this.table = table;
        Counter received = Counter.builder(RECEIVED).description("presence reports read, from every instance").register(registry);
        this.tail = TopicTail.following(settings.kafka(), settings.topics().presence(),
                new JsonSerde<>(PresenceReport.class), record -> {
                    if (record.value() != null) {
                        received.increment();
                        table.accept(record.value());
                    }
                });
        this.tailMetrics = new KafkaClientMetrics(tail.client());
        tailMetrics.bindTo(registry);
        this.sweeper = Daemons.scheduler("tally-presence-sweeper");
    }

    public PresenceAggregator start() {
        tail.start();
        long interval = settings.reportInterval().toMillis();
        sweeper.scheduleAtFixedRate(table::sweep, interval, interval, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Ready once it follows the topic; the gauge is complete one report interval later. */
    public boolean isReady() {
        return tail.isReady();
    }

    public long liveUsers(long postId) {
        return table.liveUsers(postId);
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        tailMetrics.close();
        tail.close();
    }
}
