package dev.tally.processor;

import dev.tally.runtime.Daemons;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the like-totals records this instance's active tasks have committed, as Kafka Streams does for its own
 * repartition topics: the topic keeps everything until then (a processor group down for a week must not lose a
 * like), and nothing after. A record is only read by the task that owns its partition, so once that task has
 * committed past it, it is never needed again; a rebuild skips the topic to its end.
 */
final class LikeTotalsPurge implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LikeTotalsPurge.class);

    private final KafkaStreams streams;
    private final ProcessorSettings settings;
    private final Admin admin;
    private final ScheduledExecutorService timer = Daemons.scheduler("tally-like-totals-purge");

    LikeTotalsPurge(KafkaStreams streams, ProcessorSettings settings, Duration every) {
        this.streams = streams;
        this.settings = settings;
        this.admin = Admin.create(settings.kafka().properties());
        timer.scheduleWithFixedDelay(this::purgeQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void purgeQuietly() {
        try {
            purge();
        } catch (Exception e) {
            // The next round tries again; until then the topic only keeps a little more.
            LOG.debug("like-totals purge skipped: {}", e.toString());
        }
    }

    /** Deletes, on each like-totals partition this instance runs the active task of, what its group committed. */
    void purge() throws Exception {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return;
        }
        String topic = settings.topics().likeTotals();
        Set<TopicPartition> owned = streams.metadataForLocalThreads().stream()
                .map(ThreadMetadata::activeTasks).flatMap(Set::stream)
                .map(TaskMetadata::topicPartitions).flatMap(Set::stream)
                .filter(partition -> partition.topic().equals(topic)).collect(Collectors.toSet());
        if (owned.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(settings.applicationId())
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, RecordsToDelete> deletes = new HashMap<>();
        for (TopicPartition partition : owned) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null && offset.offset() > 0) {
                deletes.put(partition, RecordsToDelete.beforeOffset(offset.offset()));
            }
        }
        if (!deletes.isEmpty()) {
            admin.deleteRecords(deletes).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
