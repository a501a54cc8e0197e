package dev.tally.query;

import org.apache.kafka.streams.KafkaStreams;

/**
 * Numbers the periods in which Kafka Streams keeps one assignment of partitions, so that what the query API learns
 * of it (who owns each partition, which store object holds it here) is learnt once per period instead of on every
 * read. A rebalance always passes through a state change (RUNNING to REBALANCING and back), and so does starting or
 * closing; the epoch changes with every one. {@link #current()} is the epoch while Kafka Streams is RUNNING and
 * {@link #NOT_RUNNING} otherwise, when the assignment may be changing under a read and nothing is kept.
 */
final class AssignmentEpoch implements KafkaStreams.StateListener {

    static final long NOT_RUNNING = -1;

    private volatile long changes;
    // One volatile: the period's number while RUNNING, NOT_RUNNING otherwise. Readers pay one read of it.
    private volatile long current = NOT_RUNNING;

    @Override
    public synchronized void onChange(KafkaStreams.State next, KafkaStreams.State previous) {
        changes++;
        current = next == KafkaStreams.State.RUNNING ? changes : NOT_RUNNING;
    }

    /** How many state changes Kafka Streams has made: what was learnt after the n-th holds while this is still n. */
    long changes() {
        return changes;
    }

    /** The epoch, or {@link #NOT_RUNNING}: a value learnt at epoch e holds while this still answers e. */
    long current() {
        return current;
    }
}
