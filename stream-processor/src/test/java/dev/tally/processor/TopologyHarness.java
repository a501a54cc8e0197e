package dev.tally.processor;

import dev.tally.kafka.KafkaClients;
import dev.tally.schemas.Action;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.PostKeys;
import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterState;
import dev.tally.schemas.CounterUpdate;
import dev.tally.schemas.CounterChange;
import dev.tally.schemas.PresenceReport;
import dev.tally.schemas.ReplyHeaders;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import dev.tally.schemas.IdempotencyKey;
import dev.tally.schemas.JsonSerde;
import dev.tally.schemas.LikeKey;
import dev.tally.schemas.LikeRegister;
import dev.tally.schemas.RegionCounterKey;
import dev.tally.schemas.StoreNames;
import dev.tally.schemas.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The real {@link CounterTopology} on a {@link TopologyTestDriver} with real RocksDB stores, and the few verbs the
 * tests speak: like, unlike, view, send a copy. Every event is stamped with a clock the test moves.
 */
final class TopologyHarness implements AutoCloseable {

    static final TopicNames TOPICS = TopicNames.withPrefix("test-");
    static final CounterCatalog COUNTERS = CounterCatalog.parse("likes:per-user,views:monotonic,shares:generic");
    static final Duration MAX_SKEW = Duration.ofMinutes(5);
    static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);
    static final Headers REPLY_TO = new RecordHeaders(new Header[] {
            new RecordHeader(ReplyHeaders.PARTITION, ReplyHeaders.utf8("0")),
            new RecordHeader(ReplyHeaders.INSTANCE, ReplyHeaders.utf8("ingest-a"))});

    private final TopologyTestDriver driver;
    private final TestInputTopic<String, CounterEvent> events;
    private final TestInputTopic<byte[], byte[]> rawEvents;
    private final TestOutputTopic<String, CounterUpdate> updates;
    private final TestOutputTopic<String, CounterChange> changes;
    private final TestInputTopic<String, PresenceReport> presence;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final TestOutputTopic<String, LikeDelta> likeTotals;
    private final Regions regions;
    private Instant now = Instant.parse("2026-11-27T00:00:00Z");
    private long sent;
    private long ticks;

    /** The processor's clock starts at the harness's clock, and moves forward with it. */
    TopologyHarness(Duration idempotencyWindow) {
        this(idempotencyWindow, "local", List.of());
    }

    /** A processor of {@code region}, which also reads the mirrored event topics of {@code peers}. */
    TopologyHarness(Duration idempotencyWindow, String region, List<String> peers) {
        ProcessorSettings settings = settings(idempotencyWindow, region, peers);
        this.regions = settings.regions();
        this.driver = new TopologyTestDriver(CounterTopology.build(settings, 1), settings.toProperties(), now);
        this.events = driver.createInputTopic(TOPICS.events(), new StringSerializer(), new JsonSerde<>(CounterEvent.class));
        this.rawEvents = driver.createInputTopic(TOPICS.events(), new ByteArraySerializer(), new ByteArraySerializer());
        this.updates = driver.createOutputTopic(TOPICS.replies(), new StringDeserializer(), new JsonSerde<>(CounterUpdate.class));
        this.changes = driver.createOutputTopic(TOPICS.changes(), new StringDeserializer(), new JsonSerde<>(CounterChange.class));
        this.presence = driver.createInputTopic(TOPICS.presence(), new StringSerializer(), new JsonSerde<>(PresenceReport.class));
        this.deadLetters = driver.createOutputTopic(TOPICS.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.likeTotals = driver.createOutputTopic(TOPICS.likeTotals(), new StringDeserializer(), LikeDelta.SERDE.deserializer());
    }

    static ProcessorSettings settings(Duration idempotencyWindow) {
        return settings(idempotencyWindow, "local", List.of());
    }

    static ProcessorSettings settings(Duration idempotencyWindow, String region, List<String> peers) {
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("tally-topology");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProcessorSettings(KafkaClients.plain("unused:9092"), "topology-test", stateDir,
                TOPICS.withPeerRegions(peers), COUNTERS, "localhost:8080",
                idempotencyWindow, MAX_SKEW, COMMIT_INTERVAL, 1, 0, 1, 1024 * 1024, Duration.ofSeconds(45),
                Duration.ofSeconds(10), "topology-test-1", false, region);
    }

    /**
     * Moves the clock that stamps the next events; forward, the processor's clock moves with it (an ingest whose
     * clock is behind is simulated by moving back).
     */
    void advance(Duration by) {
        now = now.plus(by);
        ticks = 0;
        if (!by.isNegative()) {
            driver.advanceWallClockTime(by);
        }
    }

    Instant now() {
        return now;
    }

    /** Moves the wall clock, which drives the processor's wall-clock punctuations. */
    void advanceWallClock(Duration by) {
        driver.advanceWallClockTime(by);
    }

    CounterUpdate like(long postId, long userId) {
        return send(event(postId, "likes", Action.INCREMENT, userId, null));
    }

    CounterUpdate unlike(long postId, long userId) {
        return send(event(postId, "likes", Action.DECREMENT, userId, null));
    }

    /** An admin's reset, with an Idempotency-Key as ingest sends it (null for none). */
    CounterUpdate reset(long postId, String counter, String idempotencyKey) {
        return send(event(postId, counter, Action.RESET, null, idempotencyKey));
    }

    CounterUpdate view(long postId) {
        return send(event(postId, "views", Action.INCREMENT, null, null));
    }

    /**
     * An event stamped now, a microsecond after the previous one, as ingest's clock moves between two requests: a
     * user's likes are ordered by event time (last writer wins), so two of them must not tie.
     */
    CounterEvent event(long postId, String counter, Action action, Long userId, String idempotencyKey) {
        UUID eventId = idempotencyKey == null ? UUID.randomUUID() : new IdempotencyKey(postId, counter, idempotencyKey).eventId();
        return new CounterEvent(eventId, postId, counter, action, userId, idempotencyKey, now.plusNanos(1_000L * ++ticks));
    }

    /** Sends one event, stamped now, and returns the one update the processor must emit for it. */
    CounterUpdate send(CounterEvent event) {
        List<CounterUpdate> emitted = sendAll(List.of(event));
        if (emitted.size() != 1) {
            throw new AssertionError("expected one update for " + event + ", got " + emitted);
        }
        return emitted.get(0);
    }

    /**
     * Sends events in order, each with its own timestamp and asking for a reply on partition 0 as a waiting writer
     * does, and returns every reply emitted for them.
     */
    List<CounterUpdate> sendAll(List<CounterEvent> batch) {
        for (CounterEvent event : batch) {
            events.pipeInput(new TestRecord<>(PostKeys.key(event.postId()), event, REPLY_TO, event.timestamp()));
            sent++;
        }
        return updates.readValuesToList();
    }

    /** Sends events as {@code Prefer: respond-async} and batches do, naming no reply partition; returns the replies. */
    List<CounterUpdate> sendAsync(List<CounterEvent> batch) {
        for (CounterEvent event : batch) {
            events.pipeInput(PostKeys.key(event.postId()), event, event.timestamp());
            sent++;
        }
        return updates.readValuesToList();
    }

    /** Sends an event with these headers, and returns the reply records written for it. */
    List<TestRecord<String, CounterUpdate>> sendWithHeaders(CounterEvent event, Headers headers) {
        events.pipeInput(new TestRecord<>(PostKeys.key(event.postId()), event, headers, event.timestamp()));
        sent++;
        return updates.readRecordsToList();
    }

    /** An instance's presence report, received now. */
    void report(String instanceId, long postId, long sessions, Integer pushPartition) {
        presence.pipeInput(PostKeys.key(postId), new PresenceReport(instanceId, postId, sessions, now, pushPartition));
    }

    /** The changes written since the last call. */
    List<TestRecord<String, CounterChange>> changes() {
        return changes.readRecordsToList();
    }

    /**
     * Sends any key and value (null for none) with any record timestamp, as a broken or foreign producer might,
     * asking for a reply, and returns the replies emitted for it.
     */
    List<CounterUpdate> sendRaw(byte[] key, byte[] value, Instant recordTimestamp) {
        rawEvents.pipeInput(new TestRecord<>(key, value, REPLY_TO, recordTimestamp));
        sent++;
        return updates.readValuesToList();
    }

    /** Sends a record exactly as given: key, value, headers and timestamp. */
    List<CounterUpdate> sendRaw(TestRecord<byte[], byte[]> record) {
        rawEvents.pipeInput(record);
        sent++;
        return updates.readValuesToList();
    }

    /** The offset the last record sent has on the one partition of the driver's event topic. */
    long lastOffset() {
        return sent - 1;
    }

    /**
     * Sends events as MirrorMaker 2 copies them from {@code peer}'s event topic: unchanged, reply headers included
     * (the peer's writer waits there, not here); returns the replies written here.
     */
    List<CounterUpdate> sendMirrored(String peer, List<CounterEvent> batch) {
        TestInputTopic<String, CounterEvent> mirrored = driver.createInputTopic(regions.mirroredTopic(peer),
                new StringSerializer(), new JsonSerde<>(CounterEvent.class));
        for (CounterEvent event : batch) {
            mirrored.pipeInput(new TestRecord<>(PostKeys.key(event.postId()), event, REPLY_TO, event.timestamp()));
        }
        return updates.readValuesToList();
    }

    /** What {@code region}'s events changed a post's counter by, after the next commit. */
    long regionCount(long postId, String counter, String region) {
        commit();
        KeyValueStore<RegionCounterKey, CounterState> store = driver.getKeyValueStore(StoreNames.REGION_COUNTS);
        CounterState state = store.get(new RegionCounterKey(postId, counter, region));
        return state == null ? 0 : state.count();
    }

    /** The like totals sent from the likers' partitions to the counts' since the last call. */
    List<LikeDelta> likeTotals() {
        return likeTotals.readValuesToList();
    }

    /** The records written to the dead-letter topic since the last call. */
    List<TestRecord<byte[], byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    /** The processor's refused-events metric. */
    long refusedEvents() {
        return DeadLetters.refusedTotal(driver.metrics());
    }

    /** Sets a count directly in the store, as if a very long history had led to it. */
    void seedCount(long postId, String counter, long count) {
        counts().put(new CounterKey(postId, counter), new CounterState(count, now.toEpochMilli()));
    }

    /**
     * Lets the processor's clock pass one commit interval, which sends the likes each partition has summed since
     * the last one on to the counts: what a read sees after the next commit.
     */
    void commit() {
        driver.advanceWallClockTime(COMMIT_INTERVAL);
    }

    long count(long postId, String counter) {
        commit();
        CounterState state = counts().get(new CounterKey(postId, counter));
        return state == null ? 0 : state.count();
    }

    CounterState state(long postId, String counter) {
        commit();
        return counts().get(new CounterKey(postId, counter));
    }

    /** Every entry of the counts store. */
    Map<CounterKey, Long> allCounts() {
        commit();
        Map<CounterKey, Long> all = new HashMap<>();
        try (KeyValueIterator<CounterKey, CounterState> entries = counts().all()) {
            entries.forEachRemaining(entry -> all.put(entry.key, entry.value.count()));
        }
        return all;
    }

    /** The users counted in a post's likes, read from the likers store. */
    Set<Long> likers(long postId) {
        Set<Long> users = new HashSet<>();
        try (KeyValueIterator<LikeKey, LikeRegister> entries = likersStore().all()) {
            entries.forEachRemaining(entry -> {
                if (entry.key.postId() == postId && entry.key.counter().equals("likes") && entry.value.liked()) {
                    users.add(entry.key.userId());
                }
            });
        }
        return users;
    }

    /** What the idempotency store remembers for a key, from the beginning of time to now. */
    List<KeyValue<Long, AppliedWrite>> remembered(IdempotencyKey key) {
        WindowStore<IdempotencyKey, AppliedWrite> store = driver.getWindowStore(IdempotencyStore.NAME);
        List<KeyValue<Long, AppliedWrite>> found = new ArrayList<>();
        try (var iterator = store.fetch(key, Instant.EPOCH, now.plus(Duration.ofDays(365)))) {
            iterator.forEachRemaining(found::add);
        }
        return found;
    }

    private KeyValueStore<CounterKey, CounterState> counts() {
        return driver.getKeyValueStore(StoreNames.COUNTS);
    }

    private KeyValueStore<LikeKey, LikeRegister> likersStore() {
        return driver.getKeyValueStore(StoreNames.LIKERS);
    }

    @Override
    public void close() {
        driver.close();
    }
}
