package dev.tally.processor;

import dev.tally.schemas.CounterChange;
import dev.tally.schemas.JsonSerde;
import dev.tally.schemas.PostKeys;
import dev.tally.schemas.PresenceReport;
import dev.tally.schemas.ReplyHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Sends the changes of watched posts to the instances that watch them, and nothing to anyone else. Presence
 * reports (partitioned like the events, so each task hears about its own posts) say which instance streams which
 * post and on which partition of the changes topic it listens; {@link CounterApplier} marks a watched post whose
 * counts changed in {@value #PENDING}; once per commit interval this sends one {@link CounterChange} per marked post
 * and watching partition, however many events changed it. Marks are a logged store, so a change applied just
 * before a crash is still sent after it. A watcher that is new to a post is marked too: the changes between its
 * first read and its report reaching here would otherwise never reach it.
 */
final class ChangeRouter implements Processor<byte[], byte[], byte[], byte[]> {

    static final String CHANGES = "changes";
    static final String PENDING = "pending-changes";
    static final byte[] MARK = {1};

    private static final JsonSerde<PresenceReport> REPORTS = new JsonSerde<>(PresenceReport.class);
    private static final JsonSerde<CounterChange> CHANGE_SERDE = new JsonSerde<>(CounterChange.class);

    private final Duration interval;
    private final long expiryMillis;
    private ProcessorContext<byte[], byte[]> context;
    private KeyValueStore<Long, PostWatchers> watchers;
    private KeyValueStore<Long, byte[]> pending;

    ChangeRouter(Duration interval, Duration watcherExpiry) {
        this.interval = interval;
        this.expiryMillis = watcherExpiry.toMillis();
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.watchers = context.getStateStore(PostWatchers.STORE);
        this.pending = context.getStateStore(PENDING);
        context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, this::sendChanges);
    }

    /** One presence report: anything that is not one is ignored, since the gauge's readers ignore it too. */
    @Override
    public void process(Record<byte[], byte[]> record) {
        PresenceReport report;
        try {
            report = record.value() == null ? null : REPORTS.deserialize(null, record.value());
        } catch (RuntimeException notAReport) {
            return;
        }
        if (report == null) {
            return;
        }
        long now = context.currentSystemTimeMs();
        PostWatchers before = watchers.get(report.postId());
        PostWatchers known = before == null ? new PostWatchers(List.of()) : before.heardSince(now, expiryMillis);
        boolean watches = report.sessions() > 0 && report.pushPartition() != null;
        boolean isNew = watches && known.watchers().stream().noneMatch(w -> w.instanceId().equals(report.instanceId())
                && w.partition() == report.pushPartition());
        PostWatchers after = known.with(report.instanceId(),
                watches ? new PostWatchers.Watcher(report.instanceId(), report.pushPartition(), now) : null);
        if (after.isEmpty()) {
            if (before != null) {
                watchers.delete(report.postId());
            }
        } else {
            watchers.put(report.postId(), after);
        }
        if (isNew) {
            pending.put(report.postId(), MARK);
        }
    }

    private void sendChanges(long now) {
        List<Long> marked = new ArrayList<>();
        try (KeyValueIterator<Long, byte[]> posts = pending.all()) {
            posts.forEachRemaining(entry -> marked.add(entry.key));
        }
        for (long postId : marked) {
            pending.delete(postId);
            PostWatchers all = watchers.get(postId);
            if (all == null) {
                continue;
            }
            PostWatchers live = all.heardSince(now, expiryMillis);
            if (live.isEmpty()) {
                watchers.delete(postId);
                continue;
            }
            byte[] key = PostKeys.key(postId).getBytes(StandardCharsets.UTF_8);
            byte[] value = CHANGE_SERDE.serialize(null, new CounterChange(postId, Instant.ofEpochMilli(now)));
            for (int partition : live.partitions()) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(ReplyHeaders.PUSH_PARTITION, ReplyHeaders.utf8(Integer.toString(partition)));
                context.forward(new Record<>(key, value, now, headers), CHANGES);
            }
        }
    }
}
