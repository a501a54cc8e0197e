package dev.tally.app;

import dev.tally.kafka.KafkaClients;
import dev.tally.runtime.Daemons;
import dev.tally.schemas.TopicNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the partitions of tally's topics (events and mirrored events, replies, changes, presence) whose in-sync replicas are fewer than their
 * replicas, once per interval, as {@code tally_kafka_under_replicated_partitions}. The brokers know this too, but
 * the apache/kafka image publishes no Prometheus metrics, and what matters to tally is its own topics: one more
 * broker lost and writes to an under-replicated partition stop (min.insync.replicas).
 */
final class ReplicationWatch implements AutoCloseable {

    static final String UNDER_REPLICATED = "tally.kafka.under.replicated.partitions";
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationWatch.class);

    private final AdminClient admin;
    private final KafkaClientMetrics adminMetrics;
    private final List<String> topics;
    private final AtomicInteger underReplicated = new AtomicInteger();
    private final ScheduledExecutorService scheduler = Daemons.scheduler("tally-replication-watch");

    ReplicationWatch(KafkaClients kafka, TopicNames topics, MeterRegistry registry) {
        this.admin = AdminClient.create(kafka.properties());
        this.adminMetrics = new KafkaClientMetrics(admin);
        adminMetrics.bindTo(registry);
        this.topics = Stream.concat(topics.eventSources().stream(),
                Stream.of(topics.replies(), topics.changes(), topics.presence())).toList();
        Gauge.builder(UNDER_REPLICATED, underReplicated, AtomicInteger::get)
                .description("partitions of tally's topics with fewer in-sync replicas than replicas").register(registry);
    }

    ReplicationWatch start(Duration interval) {
        scheduler.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void check() {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
            int count = 0;
            for (TopicDescription topic : described.values()) {
                for (TopicPartitionInfo partition : topic.partitions()) {
                    count += partition.isr().size() < partition.replicas().size() ? 1 : 0;
                }
            }
            underReplicated.set(count);
        } catch (Exception e) {
            // The gauge keeps its last value; an unreachable cluster shows in the clients' own metrics and in 503s.
            LOG.debug("could not describe tally's topics", e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        adminMetrics.close();
        admin.close(Duration.ofSeconds(5));
    }
}
