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
}
