package dev.tally.processor;

import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterState;
import dev.tally.schemas.LikeKey;
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
import org.apache.kafka.streams.state.Stores;

/**
 * The counting topology, built without starting anything.
 *
 * <pre>
 *   counter-events (JSON CounterEvent as bytes, key: post id; headers: tally.reply.partition/instance or none),
 *   and <peer>.counter-events per peer region (the same, mirrored by MirrorMaker 2 with the same partitions)
 *     └─ apply ── counts            CounterKey → CounterState       (RocksDB, cached, compacted changelog)
 *              ├─ likers            LikeKey → 1 byte                 (RocksDB, cached, compacted changelog)
 *              ├─ idempotency-keys  IdempotencyKey → AppliedWrite    (RocksDB window store, expires after the window)
 *              ├─ pending-changes   post id → 1 byte                 (in memory, logged): watched posts changed
 *              ├─▶ counter-replies (JSON CounterUpdate, key: post id), one per event that names a reply
 *              │     partition, on that partition (HeaderPartitioner): only the waiting ingest instance reads it
 *              └─▶ counter-events-dlq (the refused record's own key and value, reason and origin in headers),
 *                  one per record that breaks EventRules, the event-time bound, or would overflow a count
 *   presence (JSON PresenceReport as bytes, key: post id: partitioned like the events)
 *     └─ route-changes ── post-watchers   post id → PostWatchers  (RocksDB, compacted changelog)
 *              └─▶ counter-changes (JSON CounterChange, key: post id), every commit interval: one per changed
 *                    watched post and watching instance, on the partition that instance named (HeaderPartitioner)
 * </pre>
 *
 * Every store and output of one event commits in the same Kafka transaction (exactly_once_v2), so a crash
 * replays the event against the state it had before it, never twice; a dead letter is one of those outputs.
 * The source reads bytes, not events: a record that is not an event must reach the dead-letter topic as it was,
 * which a deserializer that throws cannot do without a handler outside the topology.
 */
public final class CounterTopology {

    /**
     * The broker compresses changelogs, not the stream thread's producer: under exactly-once every commit closes
     * small batches on each of a dozen partitions, and opening an LZ4 block per batch cost the stream thread
     * about a fifth of its time (replay: +20-30% events/s without it).
     */
    private static final Map<String, String> COMPRESSED_CHANGELOG = Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "lz4");

    private CounterTopology() {
    }

    public static Topology build(ProcessorSettings settings) {
        Duration window = settings.idempotencyWindow();
        // Built with tally's own settings: a bare Topology() reads Kafka's defaults, and warns about them at start.
        Topology topology = new Topology(new TopologyConfig(new StreamsConfig(settings.toProperties())));
        EventTimeBound timeBound = new EventTimeBound(settings.maxEventSkew());
        topology.addSource("events", new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                settings.topics().eventSources().toArray(String[]::new));
        topology.addProcessor("apply", () -> new CounterApplier(settings.counters(), window, timeBound), "events");
        topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.COUNTS), CounterKey.SERDE, CounterState.SERDE)
                .withCachingEnabled()
                .withLoggingEnabled(COMPRESSED_CHANGELOG), "apply");
        // Cached like the counts: a like and an unlike within one commit interval cost no changelog record at all.
        topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.LIKERS), LikeKey.SERDE, Serdes.ByteArray())
                .withCachingEnabled()
                .withLoggingEnabled(COMPRESSED_CHANGELOG), "apply");
        // Copies from ingest instances with skewed clocks may carry earlier timestamps than the first copy, so a
        // key is looked up one window either side; the store keeps it for both.
        topology.addStateStore(Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(IdempotencyStore.NAME, window.multipliedBy(2), window, false),
                        IdempotencyStore.KEY_SERDE, AppliedWrite.SERDE)
                .withLoggingEnabled(Map.of(TopicConfig.COMPRESSION_TYPE_CONFIG, "lz4", TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE)), "apply");
        topology.addSource("presence", new ByteArrayDeserializer(), new ByteArrayDeserializer(), settings.topics().presence());
        topology.addProcessor("route-changes", () -> new ChangeRouter(settings.commitInterval(), settings.watcherExpiry()),
                "presence");
        topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(PostWatchers.STORE), Serdes.Long(), PostWatchers.SERDE)
                .withCachingEnabled()
                .withLoggingEnabled(COMPRESSED_CHANGELOG), "route-changes", "apply");
        // Marks live for one commit interval: memory is enough, and the changelog carries them across a crash.
        topology.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(ChangeRouter.PENDING), Serdes.Long(), Serdes.ByteArray())
                .withLoggingEnabled(COMPRESSED_CHANGELOG), "route-changes", "apply");
        topology.addSink(CounterApplier.REPLIES, settings.topics().replies(), new ByteArraySerializer(),
                new ByteArraySerializer(), new HeaderPartitioner(ReplyHeaders.PARTITION), "apply");
        topology.addSink(ChangeRouter.CHANGES, settings.topics().changes(), new ByteArraySerializer(),
                new ByteArraySerializer(), new HeaderPartitioner(ReplyHeaders.PUSH_PARTITION), "route-changes");
        topology.addSink(DeadLetters.SINK, settings.topics().deadLetters(), new ByteArraySerializer(),
                new ByteArraySerializer(), "apply");
        return topology;
    }
}
