package dev.tally.app.cluster;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/** What the cluster's metadata says about leaders, the active controller and replication, via Admin. */
public final class ClusterView implements AutoCloseable {

    private final Admin admin;

    public ClusterView(String bootstrapServers) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000", AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000"));
    }

    /** The broker that leads most partitions of the topic. */
    public int leaderOfMost(String topic) {
        Map<Integer, Long> led = partitions(topic).stream().filter(partition -> partition.leader() != null)
                .collect(Collectors.groupingBy(partition -> partition.leader().id(), Collectors.counting()));
        return led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow(
                () -> new IllegalStateException("no partition of " + topic + " has a leader")).getKey();
    }

    /** The node id of the active KRaft controller (the leader of the metadata quorum). */
    public int activeController() {
        return call(() -> admin.describeMetadataQuorum().quorumInfo().get().leaderId());
    }

    /** Every partition of the topic has a leader and all its replicas in sync. */
    public boolean fullyReplicated(String topic) {
        try {
            return partitions(topic).stream().allMatch(partition -> partition.leader() != null
                    && partition.isr().size() == partition.replicas().size());
        } catch (IllegalStateException unknown) {
            return false;
        }
    }

    /** The leader of each partition of the topic, by partition; -1 for none. */
    public java.util.List<Integer> leaders(String topic) {
        return partitions(topic).stream().map(partition -> partition.leader() == null || partition.leader().isEmpty()
                ? -1 : partition.leader().id()).toList();
    }

    private Collection<TopicPartitionInfo> partitions(String topic) {
        Map<String, TopicDescription> topics = call(() -> admin.describeTopics(Set.of(topic)).allTopicNames().get());
        return topics.get(topic).partitions();
    }

    private interface Query<T> {
        T get() throws InterruptedException, ExecutionException;
    }

    private static <T> T call(Query<T> query) {
        try {
            return query.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
