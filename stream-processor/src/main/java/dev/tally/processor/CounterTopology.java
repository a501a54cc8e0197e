package dev.tally.processor;

import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterState;
import dev.tally.schemas.IdempotencyKey;
import dev.tally.schemas.LikeKey;
import dev.tally.schemas.LikeRegister;
import dev.tally.schemas.RegionCounterKey;
import dev.tally.schemas.ReplyHeaders;
import dev.tally.schemas.StoreNames;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The counting topology, built without starting anything.
 *
 * <pre>
 *   counter-events (JSON CounterEvent as bytes, key: post id; placed by EventPlacement: a per-user counter's
 *   │               events by post and user, the rest by post; headers: tally.reply.partition/instance or none)
 *   └─ apply ── counts            CounterKey → CounterState     (RocksDB, cached, compacted changelog): a post's
 *            │                                                    own counters, on the post's partition
 *            ├─ likers            LikeKey → LikeRegister        (RocksDB, cached, compacted changelog): each user's
 *            │                                                    last like or unlike, on the post+user partition
 *            ├─ pending-like-totals CounterKey → change          (in memory, cached, logged): likes not yet sent on
 *            ├─ idempotency-keys  IdempotencyKey → AppliedWrite (RocksDB window store, expires after the window)
 *            ├─ pending-changes   post id → 1 byte               (in memory, logged): watched posts changed
 *            ├─▶ counter-like-totals (JSON LikeDelta, key: post id → the post's partition): per commit, the
 *            │     change of each post's likes here; at once for a write that waits
 *            ├─▶ counter-events, the event again on its own partition, when it arrived on another one
 *            ├─▶ counter-replies (JSON CounterUpdate, key: post id), one per event of a post's own counter that
 *            │     names a reply partition, on that partition (HeaderPartitioner): only the waiting instance reads it
 *            └─▶ counter-events-dlq (the refused record's own key and value, reason and origin in headers),
 *                  one per record that breaks EventRules, the event-time bound, or would overflow a count
 *   counter-like-totals
 *   └─ sum-likes ── counts, like-answers (IdempotencyKey → AppliedWrite, window), like-resets (in memory, logged)
 *            └─▶ counter-replies, one per write that waits: the count that includes it
 *   presence (JSON PresenceReport as bytes, key: post id: partitioned like the events)
 *     └─ route-changes ── post-watchers   post id → PostWatchers  (RocksDB, compacted changelog)
 *              └─▶ counter-changes (JSON CounterChange, key: post id), every commit interval: one per changed
 *                    watched post and watching instance, on the partition that instance named (HeaderPartitioner)
 * </pre>
 *
 * All three sources share stores, so they form one sub-topology: task N reads partition N of each, and the counts
 * of a post, its watchers and its like totals meet on the post's partition. Every store and output of one record
 * commits in the same Kafka transaction (exactly_once_v2), so a crash replays the record against the state it had
 * before it, never twice; a dead letter is one of those outputs. The sources read bytes, not events: a record that
 * is not an event must reach the dead-letter topic as it was, which a deserializer that throws cannot do without
 * a handler outside the topology.
 */
public final class CounterTopology {

    /**
     * The broker compresses changelogs, not the stream thread's producer: under exactly-once every commit closes
     * small batches on each of a dozen partitions, and opening an LZ4 block per batch cost the stream thread
     * about a fifth of its time (replay: +20-30% events/s without it).
     */
    private static final Map<String, String> COMPRESSED_CHANGELOG = Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "lz4");

    /**
     * The changelog of an in-memory store whose entries live about one commit interval. Kafka Streams restores such a
     * store from the start of its changelog at every start, clean or not, so whatever compaction has not removed is
     * read again each time. With Kafka's defaults (1 GiB segments, compacted once half dirty) that is every pending
     * sum since the last segment roll: 2 M records after 2.9 M events here, 3.3 s of a 12 s restart, and in a
     * deployment that has run for days a restore of minutes. Segments rolled every minute let the cleaner reach all
     * but the last one; every entry ends in a tombstone, and tombstones are kept 10 minutes, so a restore reads about
     * the last 11 minutes of pending sums. That is still far longer than any restore takes to read from a put to the
     * tombstone after it: a restore can never see a sum without the delete that followed it, which would send it twice.
     */
    static final Map<String, String> SHORT_LIVED_CHANGELOG = Map.of(
            TopicConfig.COMPRESSION_TYPE_CONFIG, "lz4",
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024),
            TopicConfig.SEGMENT_MS_CONFIG, "60000",
            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1",
            TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(Duration.ofMinutes(10).toMillis()));

    private CounterTopology() {
    }

    /** @param eventPartitions the event topic's partition count, which events are placed by ({@code EventPlacement}) */
    public static Topology build(ProcessorSettings settings, int eventPartitions) {
        Duration window = settings.idempotencyWindow();
        // Built with tally's own settings: a bare Topology() reads Kafka's defaults, and warns about them at start.
        Topology topology = new Topology(new TopologyConfig(new StreamsConfig(settings.toProperties())));
        EventTimeBound timeBound = new EventTimeBound(settings.maxEventSkew());
        Regions regions = settings.regions();
        topology.addSource("events", new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                regions.sourceTopics().toArray(String[]::new));
        topology.addProcessor("apply", () -> new CounterApplier(settings.counters(), window, timeBound, eventPartitions,
                settings.commitInterval(), regions), "events");
        topology.addSource(LikeTotals.SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                settings.topics().likeTotals());
        topology.addProcessor(LikeTotals.NAME, () -> new LikeTotals(settings.counters(), window, regions), LikeTotals.SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.COUNTS), CounterKey.SERDE, CounterState.SERDE)
                .withCachingEnabled()
                .withLoggingEnabled(COMPRESSED_CHANGELOG), "apply", LikeTotals.NAME);
        // Cached like the counts: a like and an unlike within one commit interval cost no changelog record at all.
        topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.LIKERS), LikeKey.SERDE, LikeRegister.SERDE)
                .withCachingEnabled()
                .withLoggingEnabled(COMPRESSED_CHANGELOG), "apply");
        // Only when there are peer regions: a deployment of one region pays nothing for it, not even the opening of
        // twelve more RocksDB instances, twice, at every start (Kafka Streams opens every local store once to read its
        // offsets, closes it, then opens it again for its task).
        if (regions.tracked()) {
            topology.addStateStore(Stores.keyValueStoreBuilder(
                            Stores.persistentKeyValueStore(StoreNames.REGION_COUNTS), RegionCounterKey.SERDE, CounterState.SERDE)
                    .withCachingEnabled()
                    .withLoggingEnabled(COMPRESSED_CHANGELOG), "apply", LikeTotals.NAME);
        }
        // Lives one commit interval: memory is enough, and the changelog carries it across a crash. Cached, so the
        // many likes a viral post gets on one partition within a commit interval log one sum, not one record each.
        topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(CounterApplier.PENDING_LIKES), RegionCounterKey.SERDE, CounterState.SERDE)
                .withCachingEnabled()
                .withLoggingEnabled(SHORT_LIVED_CHANGELOG), "apply");
        // Copies from ingest instances with skewed clocks may carry earlier timestamps than the first copy, so a
        // key is looked up one window either side; the store keeps it for both.
        topology.addStateStore(answersByKey(IdempotencyStore.NAME, window), "apply");
        topology.addStateStore(answersByKey(LikeTotals.ANSWERS, window), LikeTotals.NAME);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(LikeTotals.RESETS), Serdes.String(), Serdes.Integer())
                .withLoggingEnabled(SHORT_LIVED_CHANGELOG), LikeTotals.NAME);
        topology.addSource("presence", new ByteArrayDeserializer(), new ByteArrayDeserializer(), settings.topics().presence());
        topology.addProcessor("route-changes", () -> new ChangeRouter(settings.commitInterval(), settings.watcherExpiry()),
                "presence");
        topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(PostWatchers.STORE), Serdes.Long(), PostWatchers.SERDE)
                .withCachingEnabled()
                .withLoggingEnabled(COMPRESSED_CHANGELOG), "route-changes", "apply", LikeTotals.NAME);
        // Marks live for one commit interval: memory is enough, and the changelog carries them across a crash.
        topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(ChangeRouter.PENDING), Serdes.Long(), Serdes.ByteArray())
                .withLoggingEnabled(SHORT_LIVED_CHANGELOG), "route-changes", "apply", LikeTotals.NAME);
        topology.addSink(Replies.SINK, settings.topics().replies(), new ByteArraySerializer(),
                new ByteArraySerializer(), new HeaderPartitioner(ReplyHeaders.PARTITION), "apply", LikeTotals.NAME);
        // Keyed by post id, so the default partitioner puts a post's totals on the post's partition (PostKeys).
        topology.addSink(CounterApplier.LIKE_TOTALS, settings.topics().likeTotals(), new ByteArraySerializer(),
                new ByteArraySerializer(), "apply");
        topology.addSink(CounterApplier.MOVED, settings.topics().events(), new ByteArraySerializer(),
                new ByteArraySerializer(), new HeaderPartitioner(ReplyHeaders.PLACED_PARTITION), "apply");
        topology.addSink(ChangeRouter.CHANGES, settings.topics().changes(), new ByteArraySerializer(),
                new ByteArraySerializer(), new HeaderPartitioner(ReplyHeaders.PUSH_PARTITION), "route-changes");
        topology.addSink(DeadLetters.SINK, settings.topics().deadLetters(), new ByteArraySerializer(),
                new ByteArraySerializer(), "apply", LikeTotals.NAME);
        return topology;
    }

    /**
     * Answers by Idempotency-Key, forgotten after two windows (its changelog compacted and deleted, so its storage
     * is bounded): the first copy's answer, for every later copy.
     */
    private static StoreBuilder<WindowStore<IdempotencyKey, AppliedWrite>> answersByKey(String name, Duration window) {
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(name, window.multipliedBy(2), window, false),
                        IdempotencyStore.KEY_SERDE, AppliedWrite.SERDE)
                .withLoggingEnabled(Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "lz4", TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE));
    }
}
