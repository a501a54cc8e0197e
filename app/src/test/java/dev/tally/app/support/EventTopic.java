package dev.tally.app.support;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** Reads where a topic ends, partition by partition, as an operator would with Admin listOffsets. */
public final class EventTopic implements AutoCloseable {

    private final Admin admin;
    private final String topic;
    private final Map<TopicPartition, OffsetSpec> latest;

    public EventTopic(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, Map.of());
    }

    /** With the admin client settings of a secured cluster. */
    public EventTopic(String bootstrapServers, String topic, Map<String, Object> adminSettings) {
        Map<String, Object> settings = new java.util.HashMap<>(adminSettings);
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(settings);
        this.topic = topic;
        try {
            int partitions = admin.describeTopics(java.util.Set.of(topic)).allTopicNames().get().get(topic).partitions().size();
            this.latest = java.util.stream.IntStream.range(0, partitions).boxed()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
        } catch (ExecutionException e) {
            admin.close();
            throw new IllegalStateException("cannot describe " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            admin.close();
            throw new IllegalStateException(e);
        }
    }

    /** The end offset of every partition of the topic. */
    public Map<TopicPartition, Long> endOffsets() {
        try {
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
            return ends.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot list the offsets of " + topic, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many records the topic holds, summed over partitions. */
    public long records() {
        return endOffsets().values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void close() {
        admin.close();
    }
}
