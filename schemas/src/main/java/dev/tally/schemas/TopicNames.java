package dev.tally.schemas;

import java.util.ArrayList;
import java.util.List;

/**
 * The topics tally reads and writes. One place for their names; a deployment (or a test) may prefix them to run
 * several tallies on one cluster.
 *
 * @param events      the source of truth: one JSON {@link CounterEvent} per write, keyed by post id
 * @param replies     one JSON {@link CounterUpdate} per event that asked for one ({@link ReplyHeaders}), keyed by
 *                    post id, on the partition the event named: each ingest instance reads only the partitions it
 *                    owns in its consumer group; short retention, since a reply is only news for two seconds
 * @param changes     at most one JSON {@link CounterChange} per watched post, watching instance and commit, keyed
 *                    by post id, on the partition the watching instance named in its presence reports
 * @param presence    one JSON {@link PresenceReport} per (instance, post) every report interval and on change,
 *                    keyed by post id, so partitioned like the events; short retention, since only the latest few
 *                    seconds matter
 * @param deadLetters every record of the event topic the processor refused, with its original key and value and
 *                    the reason in {@link DeadLetterHeaders}; counted nowhere
 * @param likeTotals  the processor's own: each partition's change to a post's per-user counts, keyed by post id,
 *                    from the partitions that hold the post's likers to the one that holds its counts; partitioned
 *                    like the events (the same count), read only by the processor, and derived: a rebuild skips it
 * @param peerRegions the other regions whose events MirrorMaker 2 copies into this cluster, each to
 *                    {@link #mirroredEvents(String)}: the same records, keys, partitions and timestamps as in the
 *                    region that accepted them. Empty for a deployment on its own.
 */
public record TopicNames(String events, String replies, String changes, String presence, String deadLetters,
                         String likeTotals, List<String> peerRegions) {

    public TopicNames {
        peerRegions = List.copyOf(peerRegions);
    }

    public static final String EVENTS = "counter-events";
    public static final String REPLIES = "counter-replies";
    public static final String CHANGES = "counter-changes";
    public static final String PRESENCE = "presence";
    public static final String DEAD_LETTERS = "counter-events-dlq";
    public static final String LIKE_TOTALS = "counter-like-totals";

    public static TopicNames defaults() {
        return withPrefix("");
    }

    public static TopicNames withPrefix(String prefix) {
        return new TopicNames(prefix + EVENTS, prefix + REPLIES, prefix + CHANGES, prefix + PRESENCE,
                prefix + DEAD_LETTERS, prefix + LIKE_TOTALS, List.of());
    }

    /** The same topics, in a region that also counts the events of these peers. */
    public TopicNames withPeerRegions(List<String> peers) {
        return new TopicNames(events, replies, changes, presence, deadLetters, likeTotals, peers);
    }

    /**
     * Where a peer region's events arrive in this cluster: {@code <region>.<events>}, the name MirrorMaker 2's
     * DefaultReplicationPolicy gives a remote topic. tally creates it up front with the partitions of the event
     * topic (MirrorMaker then reuses it and keeps each record's partition, so a post's events stay on one partition).
     */
    public String mirroredEvents(String region) {
        return region + "." + events;
    }

    /** The mirrored event topic of every peer region, in the order of {@link #peerRegions()}. */
    public List<String> mirroredEvents() {
        return peerRegions.stream().map(this::mirroredEvents).toList();
    }

    /** Every topic the processor counts: this region's events, then each peer's mirrored events. */
    public List<String> eventSources() {
        List<String> sources = new ArrayList<>();
        sources.add(events);
        sources.addAll(mirroredEvents());
        return sources;
    }
}
