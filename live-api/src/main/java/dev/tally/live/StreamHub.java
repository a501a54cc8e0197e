package dev.tally.live;

import dev.tally.http.ApiException;
import dev.tally.kafka.TopicTail;
import dev.tally.schemas.CounterUpdate;
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
 * Pushes the counts of posts to this instance's open streams. Every instance follows the whole updates topic and
 * the presence gauge, and marks a post "changed" when anything about it changes; once per minimum gap it re-reads
 * the changed posts that have subscribers (one read per post, however many streams watch it, through the same
 * path as {@code GET /v1/counters}, so an event always equals what a read would answer) and offers the result to
 * each stream. Reads are serialized, so a stream never sees older counts after newer ones.
 */
public final class StreamHub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);
    private static final int READ_BATCH = 100;
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
    private final TopicTail<CounterUpdate> updates;
    private final KafkaClientMetrics updatesMetrics;
    private final Map<Long, Set<StreamSubscription>> byPost = new ConcurrentHashMap<>();
    private final Map<String, Integer> perClient = new ConcurrentHashMap<>();
    private final Set<Long> changed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean reading = new AtomicBoolean();
    private final ScheduledExecutorService ticker = daemonScheduler("tally-stream-ticker", 1);
    private final ScheduledExecutorService senders = daemonScheduler("tally-stream-sender", 4);

    public StreamHub(LiveSettings settings, CountsReader reader, LocalSessions sessions, MeterRegistry registry) {
        this.settings = settings;
        this.reader = reader;
        this.sessions = sessions;
        this.updates = TopicTail.following(settings.kafka(), settings.topics().updates(),
                new JsonSerde<>(CounterUpdate.class), record -> {
                    if (record.value() != null) {
                        changed(record.value().postId());
                    }
                });
        this.updatesMetrics = new KafkaClientMetrics(updates.client());
        updatesMetrics.bindTo(registry);
        Gauge.builder(OPEN, this, StreamHub::openStreams).description("server-sent event streams open on this instance")
                .register(registry);
    }

    public StreamHub start() {
        updates.start();
        long gap = settings.streamMinGap().toMillis();
        ticker.scheduleWithFixedDelay(this::refresh, gap, gap, TimeUnit.MILLISECONDS);
        long keepAlive = settings.streamKeepAlive().toMillis();
        ticker.scheduleAtFixedRate(this::keepAlive, keepAlive, keepAlive, TimeUnit.MILLISECONDS);
        return this;
    }

    public boolean isReady() {
        return updates.isReady();
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

    /** Starts pushing the post's counts to the client: now, then on every change, until it closes. */
    public void subscribe(long postId, Slot slot, SseClient client) {
        StreamSubscription subscription = new StreamSubscription(postId, slot.clientAddress(), StreamSink.of(client), senders,
                settings.streamMinGap().toNanos());
        byPost.computeIfAbsent(postId, id -> ConcurrentHashMap.newKeySet()).add(subscription);
        Runnable leave = sessions.openStream(postId);
        client.onClose(() -> {
            leave.run();
            remove(subscription);
        });
        changed.add(postId);
        ticker.execute(this::refresh);
    }

    private void remove(StreamSubscription subscription) {
        Set<StreamSubscription> streams = byPost.get(subscription.postId());
        if (streams != null && streams.remove(subscription)) {
            release(subscription.clientAddress());
            byPost.computeIfPresent(subscription.postId(), (id, set) -> set.isEmpty() ? null : set);
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
        for (Set<StreamSubscription> streams : byPost.values()) {
            for (StreamSubscription stream : streams) {
                if (stream.isStuck(stuckBound)) {
                    LOG.info("dropping a stream of post {} to {}: it reads too slowly", stream.postId(), stream.clientAddress());
                    stream.close();
                } else if (stream.isClosed()) {
                    stream.close();
                } else {
                    stream.ping();
                }
            }
        }
    }

    private int openStreams() {
        return byPost.values().stream().mapToInt(Set::size).sum();
    }

    /**
     * Ends every open stream. Call it while the HTTP server still runs: ending a stream completes its response,
     * which a stopped server can no longer do.
     */
    public void closeStreams() {
        byPost.values().forEach(streams -> streams.forEach(StreamSubscription::close));
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        senders.shutdownNow();
        updatesMetrics.close();
        updates.close();
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
