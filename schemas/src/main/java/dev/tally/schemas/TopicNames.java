package dev.tally.schemas;

/**
 * The topics tally reads and writes. One place for their names; a deployment (or a test) may prefix them to run
 * several tallies on one cluster.
 *
 * @param events  the source of truth: one JSON {@link CounterEvent} per write, keyed by post id
 * @param updates one JSON {@link CounterUpdate} per applied event, keyed by post id; compacted, short retention
 */
public record TopicNames(String events, String updates) {

    public static final String EVENTS = "counter-events";
    public static final String UPDATES = "counter-updates";

    public static TopicNames defaults() {
        return withPrefix("");
    }

    public static TopicNames withPrefix(String prefix) {
        return new TopicNames(prefix + EVENTS, prefix + UPDATES);
    }
}
