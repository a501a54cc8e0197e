package dev.tally.processor;

import dev.tally.schemas.ReplyHeaders;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Sends a record to the partition its header names ({@link ReplyHeaders}): the one the waiting or watching
 * instance reads. The header comes from whoever produced the event, so a partition the topic does not have drops
 * the record (an empty set) rather than failing the task.
 */
final class HeaderPartitioner implements StreamPartitioner<byte[], byte[]> {

    private final String header;

    HeaderPartitioner(String header) {
        this.header = header;
    }

    @Override
    public Optional<Set<Integer>> partitions(String topic, byte[] key, byte[] value, Headers headers, int numPartitions) {
        return Optional.of(ReplyHeaders.partition(headers, header).filter(partition -> partition < numPartitions)
                .map(Set::of).orElse(Set.of()));
    }

    /** Never called by Kafka Streams 4.4, which passes the headers; without them there is nowhere to send it. */
    @Override
    public Optional<Set<Integer>> partitions(String topic, byte[] key, byte[] value, int numPartitions) {
        return Optional.of(Set.of());
    }
}
