package dev.tally.schemas;

/**
 * The topics tally reads and writes. One place for their names; a deployment (or a test) may prefix them to run
 * several tallies on one cluster.
 *
 * @param events  the source of truth: one JSON {@link CounterEvent} per write, keyed by post id
 * @param updates one JSON {@link CounterUpdate} per applied event, keyed by post id; compacted, short retention
 * @param presence one JSON {@link PresenceReport} per (instance, post) every report interval and on change, keyed
 *                 by post id; short retention, since only the latest few seconds matter
 * @param deadLetters every record of the event topic the processor refused, with its original key and value and
 *                 the reason in {@link DeadLetterHeaders}; counted nowhere
 */
public record TopicNames(String events, String updates, String presence, String deadLetters) {

    public static final String EVENTS = "counter-events";
    public static final String UPDATES = "counter-updates";
    public static final String PRESENCE = "presence";
    public static final String DEAD_LETTERS = "counter-events-dlq";

    public static TopicNames defaults() {
        return withPrefix("");
    }

    public static TopicNames withPrefix(String prefix) {
        return new TopicNames(prefix + EVENTS, prefix + UPDATES, prefix + PRESENCE, prefix + DEAD_LETTERS);
    }
}
