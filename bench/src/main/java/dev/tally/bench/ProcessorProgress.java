package dev.tally.bench;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a Kafka Streams application has counted an input topic: its committed offsets against the topic's end,
 * summed over partitions. Under exactly-once a committed offset means the counts of every event before it are
 * committed too, so this is "events counted end to end", independent of what HTTP answered.
 */
final class ProcessorProgress implements AutoCloseable {

    private final Admin admin;
    private final String applicationId;
    private final Set<TopicPartition> partitions;

    ProcessorProgress(String bootstrapServers, String applicationId, String topic) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.applicationId = applicationId;
        try {
            int count = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions().size();
            this.partitions = IntStream.range(0, count).mapToObj(p -> new TopicPartition(topic, p)).collect(Collectors.toSet());
        } catch (ExecutionException | InterruptedException e) {
            admin.close();
            throw new IllegalStateException("cannot describe " + topic, e);
        }
    }

    long committed() {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata().get();
            return partitions.stream().map(offsets::get).filter(Objects::nonNull).mapToLong(OffsetAndMetadata::offset).sum();
        } catch (ExecutionException | InterruptedException e) {
            throw new IllegalStateException("cannot read the offsets of " + applicationId, e);
        }
    }

    long end() {
        try {
            return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get().values().stream().mapToLong(info -> info.offset()).sum();
        } catch (ExecutionException | InterruptedException e) {
            throw new IllegalStateException("cannot read the end offsets", e);
        }
    }

    /** Waits until everything appended so far is counted; returns System.nanoTime() when that was seen. */
    long awaitCaughtUp(int seconds) {
        long target = end();
        Waits.until("the processor has counted " + target + " events", seconds, () -> committed() >= target);
        return System.nanoTime();
    }

    @Override
    public void close() {
        admin.close();
    }
}
