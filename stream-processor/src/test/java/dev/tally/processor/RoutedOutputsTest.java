package dev.tally.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.Action;
import dev.tally.schemas.CounterChange;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterUpdate;
import dev.tally.schemas.ReplyHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the topology writes besides its stores: a reply only for an event that names a reply partition, to that
 * partition; changes only for posts some instance watches, at most one per post and watcher per commit interval.
 */
class RoutedOutputsTest {

    private static final Duration COMMIT = Duration.ofMillis(100);

    private TopologyHarness tally;

    @BeforeEach
    void start() {
        tally = new TopologyHarness(Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        tally.close();
    }

    private static RecordHeaders replyTo(String partition, String instance) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(ReplyHeaders.PARTITION, partition.getBytes(StandardCharsets.UTF_8));
        headers.add(ReplyHeaders.INSTANCE, instance.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    @Test
    void shouldWriteNothingButTheCountsForEventsThatAskForNoReply() {
        List<CounterEvent> async = IntStream.range(0, 50)
                .mapToObj(i -> tally.event(7, "views", Action.INCREMENT, null, null)).toList();
        assertThat(tally.sendAsync(async)).isEmpty();
        tally.advanceWallClock(COMMIT.multipliedBy(3));
        assertThat(tally.changes()).isEmpty();
        assertThat(tally.count(7, "views")).isEqualTo(50);
    }

    @Test
    void shouldAnswerOnThePartitionAndToTheInstanceTheEventNamedAndNothingElseOfItsHeaders() {
        RecordHeaders headers = replyTo("0", "ingest-b");
        headers.add("traceparent", "00-abc".getBytes(StandardCharsets.UTF_8));
        List<TestRecord<String, CounterUpdate>> replies = tally.sendWithHeaders(
                tally.event(7, "likes", Action.INCREMENT, 3L, null), headers);
        assertThat(replies).hasSize(1);
        assertThat(replies.get(0).value().count()).isEqualTo(1);
        assertThat(ReplyHeaders.partition(replies.get(0).headers(), ReplyHeaders.PARTITION)).contains(0);
        assertThat(ReplyHeaders.text(replies.get(0).headers(), ReplyHeaders.INSTANCE)).contains("ingest-b");
        assertThat(replies.get(0).headers().lastHeader("traceparent")).isNull();
    }

    @Test
    void shouldCountButDropTheReplyOfAnEventNamingAPartitionTheRepliesTopicDoesNotHave() {
        assertThat(tally.sendWithHeaders(tally.event(7, "likes", Action.INCREMENT, 3L, null), replyTo("999", "x"))).isEmpty();
        assertThat(tally.sendWithHeaders(tally.event(7, "likes", Action.INCREMENT, 4L, null), replyTo("-1", "x"))).isEmpty();
        assertThat(tally.sendWithHeaders(tally.event(7, "likes", Action.INCREMENT, 5L, null), replyTo("one", "x"))).isEmpty();
        assertThat(tally.count(7, "likes")).isEqualTo(3);
        assertThat(tally.refusedEvents()).isZero();
    }

    @Test
    void shouldAnswerARepeatedIdempotencyKeyWithTheFirstCopysCountOnTheRepeatsOwnPartition() {
        CounterEvent first = tally.event(7, "views", Action.INCREMENT, null, "k-1");
        assertThat(tally.sendWithHeaders(first, replyTo("0", "ingest-a")).get(0).value().count()).isEqualTo(1);
        tally.view(7);
        List<TestRecord<String, CounterUpdate>> repeat = tally.sendWithHeaders(
                tally.event(7, "views", Action.INCREMENT, null, "k-1"), replyTo("0", "ingest-b"));
        assertThat(repeat).hasSize(1);
        assertThat(repeat.get(0).value().count()).isEqualTo(1);
        assertThat(ReplyHeaders.text(repeat.get(0).headers(), ReplyHeaders.INSTANCE)).contains("ingest-b");
    }

    @Test
    void shouldSendOneChangePerCommitIntervalToEachInstanceThatWatchesThePostAndNoneForOtherPosts() {
        tally.report("live-a", 7, 2, 0);
        tally.report("joined-only", 7, 1, null);
        tally.advanceWallClock(COMMIT);
        assertThat(tally.changes()).as("a new watcher gets one change to catch up").hasSize(1);

        tally.sendAsync(IntStream.range(0, 20).mapToObj(i -> tally.event(7, "views", Action.INCREMENT, null, null)).toList());
        tally.sendAsync(IntStream.range(0, 20).mapToObj(i -> tally.event(8, "views", Action.INCREMENT, null, null)).toList());
        assertThat(tally.changes()).as("nothing before the interval ends").isEmpty();
        tally.advanceWallClock(COMMIT);
        List<TestRecord<String, CounterChange>> changes = tally.changes();
        assertThat(changes).extracting(TestRecord::key).containsExactly("7");
        assertThat(ReplyHeaders.partition(changes.get(0).headers(), ReplyHeaders.PUSH_PARTITION)).contains(0);
        assertThat(changes.get(0).value().postId()).isEqualTo(7);

        tally.advanceWallClock(COMMIT);
        assertThat(tally.changes()).as("no change, no message").isEmpty();
        tally.like(7, 1);
        tally.unlike(7, 99);
        tally.advanceWallClock(COMMIT);
        assertThat(tally.changes()).hasSize(1);
    }

    @Test
    void shouldStopSendingChangesToAnInstanceThatLeftOrStoppedReporting() {
        tally.report("live-a", 7, 1, 0);
        tally.report("live-b", 8, 1, 0);
        tally.advanceWallClock(COMMIT);
        tally.changes();

        tally.report("live-a", 7, 0, 0);
        tally.advance(Duration.ofSeconds(11));
        tally.view(7);
        tally.view(8);
        tally.advanceWallClock(COMMIT);
        assertThat(tally.changes()).as("live-a left post 7; live-b has not reported for longer than the expiry").isEmpty();
    }
}
