package dev.tally.app;

import dev.tally.kafka.KafkaClients;
import dev.tally.schemas.TopicNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far this region is behind each peer region, per peer, from this region's cluster alone (during a partition the
 * peer cannot be asked), once per interval:
 * <ul>
 *   <li>{@code tally_region_lag_seconds{region=<peer>}}: the age of the newest event that has arrived from the peer
 *       ({@code <peer>.counter-events}' greatest record timestamp, which MirrorMaker keeps from the peer). While the
 *       peer takes writes, this is how long ago this region last heard from it: below a second with the mirror
 *       running, growing with the length of a partition, and back down once the mirror catches up after the heal.
 *       A peer that takes no writes shows a growing age too; NaN until anything has arrived.</li>
 *   <li>{@code tally_region_lag_records{region=<peer>}}: mirrored events that have arrived but that this
 *       processor instance has not read yet, summed over the partitions of {@code <peer>.counter-events} it owns
 *       (its consumer's {@code records-lag}, which, unlike end offsets minus committed offsets, does not count
 *       MirrorMaker's transaction markers): the backlog after a heal. Sum it over the instances of a region.</li>
 * </ul>
 * A region counts a peer's writes once both are low: the peer's events are here, and applied.
 */
final class RegionLagWatch implements AutoCloseable {

    static final String LAG_SECONDS = "tally.region.lag.seconds";
    static final String LAG_RECORDS = "tally.region.lag.records";
    private static final Logger LOG = LoggerFactory.getLogger(RegionLagWatch.class);
    private static final long TIMEOUT_SECONDS = 10;

    private final Admin admin;
    private final Supplier<Map<MetricName, ? extends Metric>> consumerMetrics;
    private final Clock clock;
    private final Map<String, String> topicOfPeer = new HashMap<>();
    /** Epoch millis of the newest record per peer; absent until one has arrived. */
    private final Map<String, Long> newest = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tally-region-lag");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param consumerMetrics the processor's client metrics ({@code KafkaStreams::metrics}), its consumers' among them
     */
    RegionLagWatch(KafkaClients kafka, TopicNames topics, Supplier<Map<MetricName, ? extends Metric>> consumerMetrics,
                   MeterRegistry registry, Clock clock) {
        this.admin = Admin.create(kafka.properties());
        this.consumerMetrics = consumerMetrics;
        this.clock = clock;
        for (String peer : topics.peerRegions()) {
            topicOfPeer.put(peer, topics.mirroredEvents(peer));
            Gauge.builder(LAG_SECONDS, this, watch -> watch.secondsBehind(peer)).tag("region", peer)
                    .description("age of the newest event mirrored from the peer region (NaN before the first)")
                    .baseUnit("seconds").register(registry);
            Gauge.builder(LAG_RECORDS, this, watch -> watch.recordsBehind(peer)).tag("region", peer)
                    .description("events mirrored from the peer region that this processor has not read yet")
                    .register(registry);
        }
    }

    RegionLagWatch start(Duration interval) {
        scheduler.scheduleWithFixedDelay(this::check, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    double secondsBehind(String peer) {
        Long millis = newest.get(peer);
        return millis == null ? Double.NaN : Math.max(0, clock.millis() - millis) / 1000.0;
    }

    /** NaN while this instance reads no partition of the peer's topic (it owns none, or has not fetched yet). */
    double recordsBehind(String peer) {
        String topic = topicOfPeer.get(peer);
        // The consumer's topic tag has '.' replaced by '_' (Kafka's JMX naming); newer clients may also tag it as is.
        Set<String> tags = Set.of(topic, topic.replace('.', '_'));
        double sum = 0;
        boolean reading = false;
        for (Map.Entry<MetricName, ? extends Metric> metric : consumerMetrics.get().entrySet()) {
            MetricName name = metric.getKey();
            if (name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
                    && tags.contains(name.tags().get("topic")) && metric.getValue().metricValue() instanceof Double lag
                    && !lag.isNaN()) {
                sum += lag;
                reading = true;
            }
        }
        return reading ? sum : Double.NaN;
    }

    void check() {
        try {
            for (Map.Entry<String, String> peer : topicOfPeer.entrySet()) {
                List<TopicPartition> partitions = partitions(peer.getValue());
                offsets(partitions, OffsetSpec.maxTimestamp()).values().stream().mapToLong(ListOffsetsResultInfo::timestamp)
                        .filter(stamp -> stamp >= 0).max().ifPresent(stamp -> newest.put(peer.getKey(), stamp));
            }
        } catch (ExecutionException | TimeoutException e) {
            // The gauges keep their last values, and the age keeps growing: what a reader should see while this
            // region's own cluster does not answer.
            LOG.debug("could not read the newest records of the mirrored event topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("could not read the newest records of the mirrored event topics", e);
        }
    }

    private List<TopicPartition> partitions(String topic) throws ExecutionException, InterruptedException, TimeoutException {
        return admin.describeTopics(Set.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic)
                .partitions().stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    /** Committed records only: the processor reads committed records, and MirrorMaker writes in transactions. */
    private Map<TopicPartition, ListOffsetsResultInfo> offsets(List<TopicPartition> partitions, OffsetSpec spec)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        return admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
