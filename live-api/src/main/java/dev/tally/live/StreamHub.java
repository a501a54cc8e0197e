package dev.tally.live;

import dev.tally.http.ApiException;
import dev.tally.kafka.Inbox;
import dev.tally.schemas.CounterChange;
import dev.tally.schemas.JsonSerde;
import dev.tally.schemas.PostCounts;
import io.javalin.http.sse.SseClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the counts of posts to this instance's open streams. Each instance owns partitions of the changes topic
 * through the group {@code tally-inbox-<changes>} and names the lowest in its presence reports
 * ({@link #pushPartition()}); the processor sends it a change only for posts it reports, so an instance without
 * streams reads nothing of the write traffic. A change, or a change of the presence gauge, marks a post
 * "changed"; once per minimum gap the hub re-reads the changed posts that have subscribers (one read per post, however many streams watch it, through the same
 * path as {@code GET /v1/counters}, so an event always equals what a read would answer) and offers the result to
 * each stream. Reads are serialized, so a stream never sees older counts after newer ones.
 */
public final class StreamHub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);
    private static final int READ_BATCH = 100;
    /**
     * How often an idle stream is probed with an empty comment line. Nothing tells the server that a client closed
     * an SSE stream (it sends no more bytes either way) until a write fails, which is the second write after the
     * close: probing twice a second ends a closed stream, its live viewer and its per-address slot within about a
     * second, for two bytes per stream per probe.
     */
    static final long PROBE_MILLIS = 500;
    /** Streams open on this instance right now: {@code tally_streams_open}. */
    public static final String OPEN = "tally.streams.open";

    /** Reads the current counts of posts, live_users included, in the order asked. */
    @FunctionalInterface
    public interface CountsReader {
        CompletableFuture<List<PostCounts>> read(List<Long> postIds);
    }

    private final LiveSettings settings;
    private final CountsReader reader;
    private final LocalSessions sessions;
    private final Inbox<CounterChange> changes;
    private final KafkaClientMetrics changesMetrics;
    private final Map<Long, Set<StreamSubscription>> byPost = new ConcurrentHashMap<>();
    private final Set<StreamSubscription> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> perClient = new ConcurrentHashMap<>();
    private final Set<Long> changed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean reading = new AtomicBoolean();
    private final ScheduledExecutorService ticker = daemonScheduler("tally-stream-ticker", 1);
    private final ScheduledExecutorService senders = daemonScheduler("tally-stream-sender", 4);

    public StreamHub(LiveSettings settings, CountsReader reader, LocalSessions sessions, MeterRegistry registry) {
        this.settings = settings;
        this.reader = reader;
        this.sessions = sessions;
        this.changes = Inbox.of(settings.kafka(), settings.topics().changes(), settings.groupMember(),
                new JsonSerde<>(CounterChange.class),
                record -> {
                    if (record.value() != null) {
                        changed(record.value().postId());
                    }
                });
        // Changes sent to the old partition while the assignment moved went to another instance: read them all anew.
        changes.onMove(() -> {
            this.changed.addAll(byPost.keySet());
            ticker.execute(this::refresh);
        });
        this.changesMetrics = new KafkaClientMetrics(changes.client());
        changesMetrics.bindTo(registry);
        Gauge.builder(OPEN, this, StreamHub::openStreams).description("server-sent event streams open on this instance")
                .register(registry);
    }

    public StreamHub start() {
        changes.start();
        long gap = settings.streamMinGap().toMillis();
        ticker.scheduleWithFixedDelay(this::refresh, gap, gap, TimeUnit.MILLISECONDS);
        long keepAlive = settings.streamKeepAlive().toMillis();
        ticker.scheduleAtFixedRate(this::keepAlive, keepAlive, keepAlive, TimeUnit.MILLISECONDS);
        ticker.scheduleAtFixedRate(this::probe, PROBE_MILLIS, PROBE_MILLIS, TimeUnit.MILLISECONDS);
        return this;
    }

    public boolean isReady() {
        return changes.isReady();
    }

    /** The partition of the changes topic this instance reads, or -1 while it owns none. */
    public int pushPartition() {
        return changes.address();
    }

    /** Runs whenever {@link #pushPartition()} changes, so the instance can report its new address. */
    public void onPushPartitionMoved(Runnable listener) {
        changes.onMove(listener);
    }

    /** Something about the post changed: its streams get fresh counts at the next refresh. */
    public void changed(long postId) {
        if (byPost.containsKey(postId)) {
            changed.add(postId);
        }
    }

    /** Takes one of the client address's stream slots, or refuses with 429 before anything is sent. */
    public Slot reserve(String clientAddress) {
        boolean[] granted = new boolean[1];
        perClient.compute(clientAddress, (address, open) -> {
            int now = open == null ? 0 : open;
            granted[0] = now < settings.streamMaxPerClient();
            return granted[0] ? now + 1 : open;
        });
        if (!granted[0]) {
            throw ApiException.tooManyRequests(clientAddress + " already has " + settings.streamMaxPerClient()
                    + " open streams; close one first");
        }
        return new Slot(clientAddress);
    }

    /** A reserved stream slot of one client address. */
    public record Slot(String clientAddress) {
    }

    /** Gives back a slot whose stream never started. */
    public void cancel(Slot slot) {
        release(slot.clientAddress());
    }

    private void release(String clientAddress) {
        perClient.computeIfPresent(clientAddress, (address, open) -> open <= 1 ? null : open - 1);
    }

    /**
     * Starts pushing the counts of the posts to the client, each in an event of its own: now, then on every change,
     * until it closes. The stream is a live viewer of every one of its posts, and takes one slot however many posts
     * it watches.
     */
    public void subscribe(List<Long> postIds, Slot slot, SseClient client) {
        StreamSink sink = StreamSink.of(client);
        StreamSubscription subscription = new StreamSubscription(postIds, slot.clientAddress(), sink, senders,
                settings.streamMinGap().toNanos());
        open.add(subscription);
        List<Runnable> leaves = new ArrayList<>(postIds.size());
        for (long postId : subscription.postIds()) {
            byPost.computeIfAbsent(postId, id -> ConcurrentHashMap.newKeySet()).add(subscription);
            leaves.add(sessions.openStream(postId));
        }
        sink.onClose(() -> {
            leaves.forEach(Runnable::run);
            remove(subscription);
        });
        changed.addAll(subscription.postIds());
        ticker.execute(this::refresh);
    }

    private void remove(StreamSubscription subscription) {
        if (!open.remove(subscription)) {
            return;
        }
        release(subscription.clientAddress());
        for (long postId : subscription.postIds()) {
            byPost.computeIfPresent(postId, (id, set) -> {
                set.remove(subscription);
                return set.isEmpty() ? null : set;
            });
        }
    }

    private void refresh() {
        if (changed.isEmpty() || !reading.compareAndSet(false, true)) {
            return;
        }
        List<Long> posts = new ArrayList<>();
        for (Long postId : changed) {
            changed.remove(postId);
            if (byPost.containsKey(postId)) {
                posts.add(postId);
            }
        }
        List<CompletableFuture<Void>> reads = new ArrayList<>();
        for (int from = 0; from < posts.size(); from += READ_BATCH) {
            List<Long> batch = posts.subList(from, Math.min(posts.size(), from + READ_BATCH));
            reads.add(read(batch).handle((counts, error) -> {
                if (error != null) {
                    LOG.debug("stream refresh of {} posts failed; retrying", batch.size(), error);
                    changed.addAll(batch);
                } else {
                    counts.forEach(this::push);
                }
                return null;
            }));
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).whenComplete((done, error) -> reading.set(false));
    }

    /** A read that fails (a rebalance, an owner that does not answer) fails the future; it never throws. */
    private CompletableFuture<List<PostCounts>> read(List<Long> posts) {
        try {
            return reader.read(posts);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void push(PostCounts counts) {
        Set<StreamSubscription> streams = byPost.get(counts.postId());
        if (streams != null) {
            streams.forEach(stream -> stream.offer(counts));
        }
    }

    private void keepAlive() {
        long stuckBound = settings.slowClientTimeout().toNanos();
        for (StreamSubscription stream : open) {
            if (stream.isStuck(stuckBound)) {
                LOG.info("dropping a stream of posts {} to {}: it reads too slowly", stream.postIds(), stream.clientAddress());
                stream.close();
            } else if (stream.isClosed()) {
                stream.close();
            } else {
                stream.ping();
            }
        }
    }

    private void probe() {
        long idle = TimeUnit.MILLISECONDS.toNanos(PROBE_MILLIS);
        for (Set<StreamSubscription> streams : byPost.values()) {
            for (StreamSubscription stream : streams) {
                if (stream.isClosed()) {
                    stream.close();
                } else {
                    stream.probe(idle);
                }
            }
        }
    }

    private int openStreams() {
        return open.size();
    }

    /**
     * Ends every open stream. Call it while the HTTP server still runs: ending a stream completes its response,
     * which a stopped server can no longer do.
     */
    public void closeStreams() {
        open.forEach(StreamSubscription::close);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        senders.shutdownNow();
        changesMetrics.close();
        changes.close();
    }

    private static ScheduledExecutorService daemonScheduler(String name, int threads) {
        AtomicInteger count = new AtomicInteger();
        return Executors.newScheduledThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}
