package dev.tally.app;

import dev.tally.config.SharedSettings;
import dev.tally.schemas.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates tally's topics if they are missing, with the settings that make them correct: the event topic, and each
 * peer region's mirrored event topic, keeps everything by default (it is the source of truth that rebuild replays)
 * and is compressed; the replies and changes
 * topics keep ten minutes, since they only carry news for the instance that owns each partition now; the presence topic keeps ten minutes, since a live
 * viewer gauge only needs the last few seconds of reports; the dead-letter topic keeps what the processor refused
 * as long as the events, since it is the evidence of what a producer wrote and can be produced again once fixed.
 */
public final class TopicSetup {

    private static final Logger LOG = LoggerFactory.getLogger(TopicSetup.class);
    private static final Duration LEADER_WAIT = Duration.ofSeconds(30);

    private TopicSetup() {
    }

    public static void ensure(SharedSettings shared, int partitions, long eventRetentionMillis) {
        TopicNames topics = shared.topics();
        short replicationFactor = shared.replicationFactor();
        String minIsr = Integer.toString(Math.min(2, replicationFactor));
        List<NewTopic> wanted = new ArrayList<>();
        Map<String, String> eventConfigs = Map.of(
                TopicConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(eventRetentionMillis),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr);
        // A peer's mirrored events are created here, like the region's own: Kafka Streams refuses to start on a
        // missing source topic, and MirrorMaker, finding the topic, keeps it and copies each record to the
        // partition it had in its region, which the processor relies on (a post's events on one partition).
        for (String source : topics.eventSources()) {
            wanted.add(new NewTopic(source, partitions, replicationFactor).configs(eventConfigs));
        }
        for (String inbox : List.of(topics.replies(), topics.changes())) {
            wanted.add(new NewTopic(inbox, partitions, replicationFactor).configs(Map.of(
                    TopicConfig.RETENTION_MS_CONFIG, Long.toString(600_000L),
                    TopicConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)));
        }
        wanted.add(new NewTopic(topics.deadLetters(), partitions, replicationFactor).configs(Map.of(
                TopicConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(eventRetentionMillis),
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)));
        // Derived like a repartition topic: the processor deletes what it has committed (LikeTotalsPurge), and a
        // rebuild skips to its end; kept until then, however long the processors are down.
        wanted.add(new NewTopic(topics.likeTotals(), partitions, replicationFactor).configs(Map.of(
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)));
        wanted.add(new NewTopic(topics.presence(), partitions, replicationFactor).configs(Map.of(
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(600_000L),
                TopicConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minIsr)));
        try (Admin admin = Admin.create(shared.kafka().properties())) {
            Set<String> existing = admin.listTopics().names().get();
            // A topic added by a later version gets the partitions the event topic already has, whatever
            // TALLY_PARTITIONS says now: the processor reads them side by side, partition by partition.
            int eventPartitions = existing.contains(topics.events())
                    ? admin.describeTopics(Set.of(topics.events())).allTopicNames().get().get(topics.events()).partitions().size()
                    : partitions;
            List<NewTopic> missing = wanted.stream().filter(topic -> !existing.contains(topic.name()))
                    .map(topic -> topic.numPartitions() == eventPartitions ? topic
                            : new NewTopic(topic.name(), eventPartitions, topic.replicationFactor()).configs(topic.configs()))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException) {
                    // On a secured cluster a service sees only the topics its ACLs name, and may create none:
                    // the operator's ./tally setup made them. A topic that is really missing fails where it is used.
                    LOG.info("not allowed to create {}; expecting them made by ./tally setup", missing.stream().map(NewTopic::name).toList());
                    return;
                }
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create tally's topics: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /**
     * Waits until every partition of new topics has a leader. Producing earlier meets NOT_LEADER_OR_FOLLOWER, and
     * an idempotent producer's retries across that can stall in OUT_OF_ORDER_SEQUENCE_NUMBER until delivery times
     * out (seen with Kafka 4.4 on a freshly created topic).
     */
    private static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (true) {
            if (allLed(admin, topics)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("partitions of " + topics + " have no leader after " + LEADER_WAIT);
            }
            Thread.sleep(50);
        }
    }

    /**
     * A topic just created may be unknown to the broker's metadata cache for a moment: describing it then fails
     * with UNKNOWN_TOPIC_OR_PARTITION, which here means "not yet", like a partition without a leader.
     */
    private static boolean allLed(Admin admin, List<String> topics) throws InterruptedException, ExecutionException {
        try {
            return admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .flatMap(topic -> topic.partitions().stream())
                    .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                return false;
            }
            throw e;
        }
    }
}
