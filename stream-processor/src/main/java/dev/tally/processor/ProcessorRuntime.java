package dev.tally.processor;

import dev.tally.schemas.TopicNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the KafkaStreams instance of the processor: starts it, keeps its state for readiness checks, replaces a
 * stream thread that dies (its tasks restart from the last committed transaction, so nothing counts twice), and
 * closes it with a bound.
 */
public final class ProcessorRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessorRuntime.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PURGE_EVERY = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
    private final LongAdder restoresFromStart = new LongAdder();
    private final AtomicBoolean hasRun = new AtomicBoolean();
    private final AtomicLong rebalances = new AtomicLong();
    private final ProcessorSettings settings;
    private LikeTotalsPurge purge;
    private final List<KafkaStreams.StateListener> listeners = new CopyOnWriteArrayList<>();
    private final CleanShutdownMarker marker;

    public ProcessorRuntime(ProcessorSettings settings) {
        this.settings = settings;
        this.marker = new CleanShutdownMarker(settings.stateDir());
        this.streams = new KafkaStreams(CounterTopology.build(settings, eventPartitions(settings)), settings.toProperties());
        streams.setStateListener((next, previous) -> {
            if (next == KafkaStreams.State.RUNNING) {
                hasRun.set(true);
            } else if (next == KafkaStreams.State.REBALANCING && previous == KafkaStreams.State.RUNNING) {
                rebalances.incrementAndGet();
            }
            state.set(next);
            LOG.info("stream processor {} -> {}", previous, next);
            listeners.forEach(listener -> listener.onChange(next, previous));
        });
        streams.setGlobalStateRestoreListener(new StateRestoreListener() {
            @Override
            public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
                if (startingOffset == 0 && endingOffset > 0) {
                    restoresFromStart.increment();
                    LOG.info("restoring {} of {} from the start of its changelog ({} records)", store, partition, endingOffset);
                }
            }

            @Override
            public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
            }

            @Override
            public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /**
     * The event topic's partition count, as the brokers have it: events are placed by it, so it is never a setting
     * that could disagree with the topic. The like-totals topic must have as many, since both feed one task each.
     */
    static int eventPartitions(ProcessorSettings settings) {
        TopicNames topics = settings.topics();
        try (Admin admin = Admin.create(settings.kafka().properties())) {
            Map<String, TopicDescription> described = admin.describeTopics(List.of(topics.events(), topics.likeTotals()))
                    .allTopicNames().get(1, TimeUnit.MINUTES);
            int events = described.get(topics.events()).partitions().size();
            int likeTotals = described.get(topics.likeTotals()).partitions().size();
            if (events != likeTotals) {
                throw new IllegalStateException(topics.likeTotals() + " has " + likeTotals + " partitions and "
                        + topics.events() + " " + events + "; they must have as many");
            }
            return events;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe " + topics.events() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot describe " + topics.events() + " within a minute", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + topics.events(), e);
        }
    }

    /**
     * Starts Kafka Streams. After a run that did not close cleanly its local state is wiped first: under
     * exactly-once Kafka Streams finds every store without a checkpoint corrupt and wipes it anyway, but one task at a
     * time, twice over (once on the start-up path, again when the task is assigned), opening and closing each RocksDB
     * store on the way, seconds that a restarted processor spends before it can restore and answer. Standby copies
     * go too (a crash leaves them checkpointed); they are rebuilt in the background and no read waits for them.
     */
    public ProcessorRuntime start() {
        if (!marker.takeAway() && hasLocalState()) {
            LOG.warn("the last run did not close cleanly: wiping the local state under {} before starting, as exactly-once"
                    + " requires; every store is restored from its changelog", settings.stateDir());
            streams.cleanUp();
        }
        streams.start();
        purge = new LikeTotalsPurge(streams, settings, PURGE_EVERY);
        return this;
    }

    /**
     * Also tells {@code listener} of every state change: Kafka Streams takes one state listener, and this runtime's
     * is it. Register before {@link #start}. The query API drops what it learnt of the assignment on each change.
     */
    public void onStateChange(KafkaStreams.StateListener listener) {
        listeners.add(listener);
    }

    /** For the query API, which reads this instance's stores. */
    public KafkaStreams streams() {
        return streams;
    }

    /** Records of the event topic this instance refused and sent to the dead-letter topic since it started. */
    public long refusedEvents() {
        return DeadLetters.refusedTotal(streams.metrics());
    }

    public boolean isRunning() {
        return state.get() == KafkaStreams.State.RUNNING;
    }

    /**
     * Whether this instance can answer reads: RUNNING, or REBALANCING once it has run. During a rebalance its
     * stores stay open for the partitions it keeps and its standbys, and reads of moving partitions are forwarded
     * or answered 503 with Retry-After one by one; taking the whole instance out of a load balancer instead would
     * empty the service each time an instance joins or leaves, since every instance rebalances at once. Before the
     * first RUNNING it has no stores to read from.
     */
    public boolean canServeReads() {
        KafkaStreams.State now = state.get();
        return now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.REBALANCING && hasRun.get();
    }

    /** Rebalances this instance went through after running: an instance joined or left, or partitions moved. */
    public long rebalances() {
        return rebalances.get();
    }

    public KafkaStreams.State state() {
        return state.get();
    }

    /**
     * Store partitions rebuilt from the first record of their changelog since this instance started: what a task
     * wiped after an unclean shutdown or a missing checkpoint costs. A restart on intact local state, or a standby
     * promoted to active, restores only the records after its checkpoint.
     */
    public long restoresFromStart() {
        return restoresFromStart.sum();
    }

    /**
     * The most records any store partition on this instance, active or standby, is behind its changelog (0 before
     * the instance has any task): how far a standby that took over now would be from the last commit.
     */
    public long maxLocalStoreLag() {
        try {
            return streams.allLocalStorePartitionLags().values().stream()
                    .flatMap(byPartition -> byPartition.values().stream())
                    .mapToLong(LagInfo::offsetLag).max().orElse(0);
        } catch (StreamsException | IllegalStateException notRunning) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Leaves the consumer group on the way out: the remaining instances take the partitions over at once instead of
     * after the session timeout, and a rebuild finds the group empty (a member that stays for the session timeout
     * made the next processor wait ~45 s in its first rebalance).
     */
    @Override
    public void close() {
        if (purge != null) {
            purge.close();
        }
        CloseOptions options = CloseOptions.timeout(CLOSE_TIMEOUT)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
        if (streams.close(options)) {
            marker.leave();
        } else {
            LOG.warn("stream processor did not close within {}", CLOSE_TIMEOUT);
        }
    }

    /** Whether the application's state directory holds any task's state. */
    private boolean hasLocalState() {
        Path appDir = settings.stateDir().resolve(settings.applicationId());
        if (!Files.isDirectory(appDir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(appDir)) {
            return entries.anyMatch(Files::isDirectory);
        } catch (IOException e) {
            return true;
        }
    }
}
