package dev.tally.query;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether a copy of a store that has applied its changelog up to a position holds every committed change of it.
 *
 * <p>The consumer reads committed records only ({@code isolation.level=read_committed}): its end offset of a
 * partition is the last stable offset, which stops at the first record of a transaction still open (a killed
 * owner's, until it is fenced) and so never waits for what may yet be aborted. A copy whose position (the offset
 * after the last record it applied, as Kafka Streams reports it) is at that end, or one short of it (the commit
 * marker that follows the last committed record), holds everything committed. Further behind, the gap may hold
 * only aborted records and markers (a crash's transaction, aborted when its owner was fenced), which a copy never
 * applies: the consumer then reads the gap and finds no committed record in it.
 */
public final class ChangelogTail {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final int MAX_POLLS = 20;

    private final Consumer<byte[], byte[]> committedReader;

    public ChangelogTail(Consumer<byte[], byte[]> committedReader) {
        this.committedReader = committedReader;
    }

    /** For each changelog partition, whether a copy at that position holds every committed change. */
    public Map<TopicPartition, Boolean> caughtUp(Map<TopicPartition, Long> positions) {
        Map<TopicPartition, Boolean> verdicts = new HashMap<>();
        if (positions.isEmpty()) {
            return verdicts;
        }
        Map<TopicPartition, Long> ends = committedReader.endOffsets(positions.keySet());
        Map<TopicPartition, Long> gaps = new HashMap<>();
        positions.forEach((partition, position) -> {
            long end = ends.getOrDefault(partition, Long.MAX_VALUE);
            if (position >= end - 1) {
                verdicts.put(partition, true);
            } else {
                gaps.put(partition, position);
            }
        });
        verdicts.putAll(gapsWithoutCommittedRecords(gaps, ends));
        return verdicts;
    }

    /** Reads each gap up to its end: a committed record in it means the copy is behind. */
    private Map<TopicPartition, Boolean> gapsWithoutCommittedRecords(Map<TopicPartition, Long> gaps,
                                                                    Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Boolean> verdicts = new HashMap<>();
        if (gaps.isEmpty()) {
            return verdicts;
        }
        committedReader.assign(gaps.keySet());
        gaps.forEach(committedReader::seek);
        Set<TopicPartition> open = new HashSet<>(gaps.keySet());
        for (int poll = 0; poll < MAX_POLLS && !open.isEmpty(); poll++) {
            ConsumerRecords<byte[], byte[]> records = committedReader.poll(POLL);
            for (TopicPartition partition : records.partitions()) {
                if (open.remove(partition)) {
                    verdicts.put(partition, false);
                }
            }
            for (TopicPartition partition : Set.copyOf(open)) {
                if (committedReader.position(partition) >= ends.get(partition)) {
                    open.remove(partition);
                    verdicts.put(partition, true);
                }
            }
        }
        open.forEach(partition -> verdicts.put(partition, false));
        committedReader.assign(Set.of());
        return verdicts;
    }
}
