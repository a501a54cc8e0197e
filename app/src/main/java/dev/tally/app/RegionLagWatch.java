package dev.tally.app;

import dev.tally.kafka.KafkaClients;
import dev.tally.runtime.Daemons;
import dev.tally.schemas.TopicNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far this region is behind each peer region, per peer, from this region's cluster alone (during a partition the
 * peer cannot be asked):
 * <ul>
 *   <li>{@code tally_region_lag_seconds{region=<peer>}}: the age of the newest event that has arrived from the peer:
 *       the greatest record timestamp in {@code <peer>.counter-events}, which MirrorMaker keeps from the peer's own
 *       record. While the peer takes writes, this is how long ago this region last heard from it: under a second
 *       with the mirror running, growing with the length of a partition, and back down once the mirror has copied
 *       the backlog after the heal. A peer that takes no writes shows a growing age too; NaN until anything has
 *       arrived.</li>
 *   <li>{@code tally_region_lag_records{region=<peer>}}: mirrored events that have arrived but that this processor
 *       instance has not read yet, summed over the partitions of {@code <peer>.counter-events} it owns (its
 *       consumer's {@code records-lag}, which, unlike end offsets minus committed offsets, does not count
 *       MirrorMaker's transaction markers): the backlog after a heal. Sum it over the instances of a region.</li>
 * </ul>
 * A region counts a peer's writes once both are low: the peer's events are here, and applied.
 *
 * <p>The age is sampled once per interval by a consumer of its own (no group, committed records only) that reads the
 * last few records of each partition whose end moved. Not the brokers' {@code maxTimestamp} offsets: those include
 * the commit markers of MirrorMaker's transactions, stamped when the mirror wrote them, which would show a backlog
 * being copied after a heal as no lag at all.
 */
final class RegionLagWatch implements AutoCloseable {

    static final String LAG_SECONDS = "tally.region.lag.seconds";
    static final String LAG_RECORDS = "tally.region.lag.records";
    private static final Logger LOG = LoggerFactory.getLogger(RegionLagWatch.class);
    /** Records read back from a partition's end: a transaction's commit marker takes one offset after its records. */
    private static final int TAIL = 4;
    private static final Duration POLL = Duration.ofMillis(200);

    private final Consumer<byte[], byte[]> sampler;
    private final Supplier<Map<MetricName, ? extends Metric>> consumerMetrics;
    private final Clock clock;
    private final Map<String, String> peerOfTopic = new HashMap<>();
    private final Map<String, String> topicOfPeer = new HashMap<>();
    /** Where each partition ended when it was last sampled: one that did not move needs no read. */
    private final Map<TopicPartition, Long> sampledEnds = new HashMap<>();
    /** Epoch millis of the newest record per peer; absent until one has arrived. */
    private final Map<String, Long> newest = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Daemons.scheduler("tally-region-lag");

    /**
     * @param consumerMetrics the processor's client metrics ({@code KafkaStreams::metrics}), its consumers' among them
     */
    RegionLagWatch(KafkaClients kafka, TopicNames topics, Supplier<Map<MetricName, ? extends Metric>> consumerMetrics,
                   MeterRegistry registry, Clock clock) {
        Properties props = kafka.latestCommittedReader("tally-region-lag");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        this.sampler = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.consumerMetrics = consumerMetrics;
        this.clock = clock;
        for (String peer : topics.peerRegions()) {
            topicOfPeer.put(peer, topics.mirroredEvents(peer));
            peerOfTopic.put(topics.mirroredEvents(peer), peer);
            Gauge.builder(LAG_SECONDS, this, watch -> watch.secondsBehind(peer)).tag("region", peer)
                    .description("age of the newest event mirrored from the peer region (NaN before the first)")
                    .baseUnit("seconds").register(registry);
            Gauge.builder(LAG_RECORDS, this, watch -> watch.recordsBehind(peer)).tag("region", peer)
                    .description("events mirrored from the peer region that this processor has not read yet")
                    .register(registry);
        }
    }

    RegionLagWatch start(Duration interval) {
        scheduler.scheduleWithFixedDelay(this::sample, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
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

    /** Reads the last records of every partition whose end moved, and keeps the newest timestamp per peer. */
    void sample() {
        try {
            if (sampler.assignment().isEmpty()) {
                List<TopicPartition> partitions = new ArrayList<>();
                peerOfTopic.keySet().forEach(topic -> sampler.partitionsFor(topic)
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition()))));
                sampler.assign(partitions);
            }
            Map<TopicPartition, Long> ends = sampler.endOffsets(sampler.assignment());
            Map<TopicPartition, Long> starts = sampler.beginningOffsets(sampler.assignment());
            List<TopicPartition> moved = new ArrayList<>();
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                if (!end.getValue().equals(sampledEnds.get(end.getKey()))) {
                    sampler.seek(end.getKey(), Math.max(starts.get(end.getKey()), end.getValue() - TAIL));
                    moved.add(end.getKey());
                }
            }
            sampler.pause(sampler.assignment());
            sampler.resume(moved);
            for (int round = 0; round < 10 && moved.stream().anyMatch(p -> sampler.position(p) < ends.get(p)); round++) {
                for (ConsumerRecord<byte[], byte[]> record : sampler.poll(POLL)) {
                    newest.merge(peerOfTopic.get(record.topic()), record.timestamp(), Math::max);
                }
            }
            moved.forEach(partition -> sampledEnds.put(partition, ends.get(partition)));
        } catch (WakeupException e) {
            // closing
        } catch (KafkaException e) {
            // The age keeps growing from the last record seen: what a reader should see while this region's own
            // cluster does not answer.
            LOG.debug("could not sample the newest mirrored events", e);
        }
    }

    @Override
    public void close() {
        sampler.wakeup();
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sampler.close(Duration.ofSeconds(5));
    }
}
