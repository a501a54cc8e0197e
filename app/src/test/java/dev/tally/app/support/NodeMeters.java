package dev.tally.app.support;

import dev.tally.app.TallyNode;
import dev.tally.live.StreamHub;
import dev.tally.query.CountService;

/** Reads a node's meters as Prometheus would scrape them, in the tests' own words. */
public final class NodeMeters {

    private NodeMeters() {
    }

    /** Requests the node forwarded to other instances since it started ({@code tally_reads_forwarded_total}). */
    public static long forwardedReads(TallyNode node) {
        return (long) node.metrics().registry().get(CountService.FORWARDED).counter().count();
    }

    /** Streams open on the node right now ({@code tally_streams_open}). */
    public static int openStreams(TallyNode node) {
        return (int) node.metrics().registry().get(StreamHub.OPEN).gauge().value();
    }

    /**
     * Store partitions the node's processor rebuilt from the first record of their changelog since it started: a
     * wiped task, which a restart on intact state or a standby promotion must never need.
     */
    public static long restoresFromStart(TallyNode node) {
        return (long) node.metrics().registry().get("tally.processor.restores.from.start").functionCounter().count();
    }

    /** Records the furthest-behind store partition on the node, active or standby, is behind its changelog. */
    public static long maxStoreLag(TallyNode node) {
        return (long) node.metrics().registry().get("tally.processor.local.store.lag.max").gauge().value();
    }

    /**
     * Records the node's inbox consumer of {@code topic} has read since it started, as its own fetch metric
     * {@code records-consumed-total} says ({@code kafka_consumer_fetch_manager_records_consumed_total}); 0 when the
     * node has no such inbox.
     */
    public static long inboxRecordsConsumed(TallyNode node, String topic) {
        String clientPrefix = "tally-inbox-" + topic + "-";
        // Micrometer drops the client-wide meter once the per-topic one (one more tag) appears, at its next scan of
        // the client's metrics; an inbox reads one topic, so either is the total.
        double clientWide = 0;
        double perTopic = 0;
        for (var meter : node.metrics().registry().find("kafka.consumer.fetch.manager.records.consumed.total").meters()) {
            String client = meter.getId().getTag("client.id");
            if (client == null || !client.startsWith(clientPrefix)) {
                continue;
            }
            double value = meter.measure().iterator().next().getValue();
            if (meter.getId().getTag("topic") == null) {
                clientWide += value;
            } else {
                perTopic += value;
            }
        }
        return (long) Math.max(clientWide, perTopic);
    }
}
