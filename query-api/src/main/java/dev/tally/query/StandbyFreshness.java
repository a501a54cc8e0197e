package dev.tally.query;

import dev.tally.kafka.KafkaClients;
import dev.tally.runtime.Daemons;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this instance's standby copy of a store partition holds every committed change of its changelog, so a
 * failover read of it never answers a count older than one a reader already saw from the owner (reads of the
 * owner see committed state). A standby copy that a rebalance has just made anew holds nothing yet and fills from
 * the changelog's start; read then, it answers 0s.
 *
 * <p>Kafka Streams' own lag ({@link KafkaStreams#allLocalStorePartitionLags()}) cannot decide it: it is measured to
 * the high watermark, which counts a killed owner's open transaction until the new owner fences it, so it would
 * refuse every failover read for a session timeout, when they matter most. This takes the copies' positions from
 * there and holds them to the last stable offset ({@link ChangelogTail}).
 *
 * <p>Verdicts are refreshed off the request threads: every {@link #FRESH_FOR} while failover reads ask for them
 * (and {@link #IDLE_REFRESH} otherwise), and at once when the assignment changed since the last one. A copy with no
 * verdict of the current assignment is not caught up: the read answers 503 and the client retries, rather than
 * risk a count that goes back.
 */
public final class StandbyFreshness implements StandbyCopies, AutoCloseable {

    static final Duration FRESH_FOR = Duration.ofMillis(250);
    private static final Duration IDLE_REFRESH = Duration.ofSeconds(5);
    private static final Duration ASKED_RECENTLY = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(StandbyFreshness.class);

    private record Verdicts(long assignment, long takenAtNanos, Map<TopicPartition, Boolean> caughtUp) {
    }

    private final Supplier<Set<Integer>> standbyPartitions;
    private final Supplier<Map<String, Map<Integer, LagInfo>>> positions;
    private final ChangelogTail tail;
    private final Consumer<byte[], byte[]> committedReader;
    private final String applicationId;
    private final AssignmentEpoch epoch;
    private final ScheduledExecutorService refresher;
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private volatile Verdicts verdicts = new Verdicts(-1, 0, Map.of());
    private volatile long lastAskedNanos;

    /**
     * @param standbyPartitions the partitions this instance keeps standby copies of
     * @param positions         each local store partition's changelog position ({@code streams::allLocalStorePartitionLags})
     * @param committedReader   a consumer of committed records only, no group; this class owns and closes it
     * @param applicationId     the processor's application id, which names its stores' changelogs
     */
    StandbyFreshness(Supplier<Set<Integer>> standbyPartitions, Supplier<Map<String, Map<Integer, LagInfo>>> positions,
                     Consumer<byte[], byte[]> committedReader, String applicationId, AssignmentEpoch epoch) {
        this.standbyPartitions = standbyPartitions;
        this.positions = positions;
        this.committedReader = committedReader;
        this.tail = new ChangelogTail(committedReader);
        this.applicationId = applicationId;
        this.epoch = epoch;
        this.refresher = Daemons.scheduler("tally-standby-freshness");
        refresher.scheduleWithFixedDelay(this::refreshIfDue, FRESH_FOR.toMillis(), FRESH_FOR.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Verdicts on the standby copies of the processor in {@code streams}.
     *
     * @param stateListeners registers a listener of every state change of {@code streams}
     * @param kafka          how to reach the cluster; the verdicts read committed records only
     */
    public static StandbyFreshness start(KafkaStreams streams, java.util.function.Consumer<KafkaStreams.StateListener> stateListeners,
                                         KafkaClients kafka, String applicationId) {
        AssignmentEpoch epoch = new AssignmentEpoch();
        stateListeners.accept(epoch);
        Properties committedReader = kafka.latestCommittedReader("tally-standby-freshness-" + UUID.randomUUID());
        return new StandbyFreshness(() -> standbyPartitions(streams), streams::allLocalStorePartitionLags,
                new KafkaConsumer<>(committedReader, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                applicationId, epoch);
    }

    private static Set<Integer> standbyPartitions(KafkaStreams streams) {
        Set<Integer> partitions = new HashSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            thread.standbyTasks().forEach(task -> partitions.add(task.taskId().partition()));
        }
        return partitions;
    }

    /** As last verified, at most {@link #FRESH_FOR} ago while failover reads keep asking. */
    @Override
    public boolean caughtUp(String store, int partition) {
        long now = System.nanoTime();
        lastAskedNanos = now;
        Verdicts known = verdicts;
        if (known.assignment() != epoch.changes()) {
            queueRefresh();
            return false;
        }
        if (now - known.takenAtNanos() > FRESH_FOR.toNanos()) {
            queueRefresh();
        }
        return known.caughtUp().getOrDefault(changelog(store, partition), false);
    }

    private TopicPartition changelog(String store, int partition) {
        return new TopicPartition(applicationId + "-" + store + "-changelog", partition);
    }

    private void queueRefresh() {
        if (refreshQueued.compareAndSet(false, true)) {
            refresher.execute(this::refreshNow);
        }
    }

    private void refreshIfDue() {
        long now = System.nanoTime();
        Verdicts known = verdicts;
        boolean asked = now - lastAskedNanos < ASKED_RECENTLY.toNanos();
        long age = now - known.takenAtNanos();
        if (known.assignment() != epoch.changes() || age > (asked ? FRESH_FOR : IDLE_REFRESH).toNanos()) {
            refreshNow();
        }
    }

    private void refreshNow() {
        refreshQueued.set(false);
        long assignment = epoch.changes();
        long takenAt = System.nanoTime();
        try {
            Set<Integer> standbys = standbyPartitions.get();
            Map<TopicPartition, Long> copies = new HashMap<>();
            if (!standbys.isEmpty()) {
                positions.get().forEach((store, byPartition) -> byPartition.forEach((partition, lag) -> {
                    if (standbys.contains(partition)) {
                        copies.put(changelog(store, partition), lag.currentOffsetPosition());
                    }
                }));
            }
            verdicts = new Verdicts(assignment, takenAt, Map.copyOf(tail.caughtUp(copies)));
        } catch (RuntimeException notNow) {
            // Streams not running, or the brokers away: the last verdicts stand until the assignment changes.
            LOG.debug("standby freshness not refreshed: {}", notNow.toString());
        }
    }

    @Override
    public void close() {
        Daemons.stop(refresher, Duration.ofSeconds(5));
        committedReader.close(Duration.ofSeconds(1));
    }
}
