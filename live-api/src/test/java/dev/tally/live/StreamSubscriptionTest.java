package dev.tally.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.PostCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamSubscriptionTest {

    private static final Duration GAP = Duration.ofMillis(200);

    private final ScheduledExecutorService senders = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stop() {
        senders.shutdownNow();
    }

    /** Records what a stream writes and when; a write can be made to hang until released. */
    private static final class RecordingSink implements StreamSink {
        record Sent(PostCounts counts, long atNanos) {
        }

        final List<Sent> events = new ArrayList<>();
        volatile CountDownLatch hold = new CountDownLatch(0);
        volatile boolean closed;

        @Override
        public void event(String name, PostCounts counts) {
            long at = System.nanoTime();
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                events.add(new Sent(counts, at));
            }
        }

        @Override
        public void comment(String text) {
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            closed = true;
        }

        synchronized List<Sent> sent() {
            return List.copyOf(events);
        }
    }

    private static PostCounts likes(long likes) {
        return new PostCounts(7, Map.of("likes", likes), 1L, Instant.EPOCH.plusSeconds(likes));
    }

    private StreamSubscription subscription(RecordingSink sink) {
        return new StreamSubscription(7, "127.0.0.1", sink, senders, GAP.toNanos());
    }

    @Test
    void shouldCoalesceABurstIntoTheFirstAndTheLatestCountsAtLeastAGapApart() {
        RecordingSink sink = new RecordingSink();
        StreamSubscription stream = subscription(sink);

        stream.offer(likes(1));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sink.sent().size() == 1);
        for (long i = 2; i <= 50; i++) {
            stream.offer(likes(i));
        }

        // On a loaded machine the burst itself may outlast a gap, so a count from its middle may go out too; what
        // must hold is that the latest count arrives, far fewer events than counts are sent, and never closer
        // together than the gap.
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
            List<RecordingSink.Sent> sent = sink.sent();
            return sent.get(sent.size() - 1).counts().equals(likes(50));
        });
        List<RecordingSink.Sent> sent = sink.sent();
        assertThat(sent.get(0).counts()).isEqualTo(likes(1));
        assertThat(sent).hasSizeLessThan(10);
        for (int i = 1; i < sent.size(); i++) {
            assertThat(sent.get(i).atNanos() - sent.get(i - 1).atNanos()).isGreaterThanOrEqualTo(GAP.toNanos());
        }
    }

    @Test
    void shouldNotSendCountsTheClientAlreadyHas() {
        RecordingSink sink = new RecordingSink();
        StreamSubscription stream = subscription(sink);

        stream.offer(likes(3));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sink.sent().size() == 1);
        stream.offer(likes(3));
        stream.offer(likes(4));

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sink.sent().size() == 2);
        assertThat(sink.sent()).extracting(RecordingSink.Sent::counts).containsExactly(likes(3), likes(4));
    }

    @Test
    void shouldHoldOnlyTheLatestCountsForAClientStuckInAWriteAndReportItStuck() {
        RecordingSink sink = new RecordingSink();
        sink.hold = new CountDownLatch(1);
        StreamSubscription stream = subscription(sink);

        stream.offer(likes(1));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> stream.isStuck(TimeUnit.MILLISECONDS.toNanos(100)));
        for (long i = 2; i <= 1000; i++) {
            stream.offer(likes(i));
        }
        stream.close();
        assertThat(sink.isClosed()).isTrue();
        sink.hold.countDown();

        // Nothing more may come: the stream was closed with one event pending.
        Awaitility.await().during(GAP.multipliedBy(2)).atMost(Duration.ofSeconds(5)).until(() -> sink.sent().size() == 1);
        assertThat(sink.sent()).extracting(RecordingSink.Sent::counts).containsExactly(likes(1));
    }
}
