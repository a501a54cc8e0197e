package dev.tally.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.Action;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterUpdate;
import dev.tally.schemas.DeadLetterHeaders;
import dev.tally.schemas.IdempotencyKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The counting topology on a TopologyTestDriver with its real RocksDB stores. */
class CounterTopologyTest {

    private static final Duration WINDOW = Duration.ofHours(1);

    private TopologyHarness tally;

    @BeforeEach
    void start() {
        tally = new TopologyHarness(WINDOW);
    }

    @AfterEach
    void stop() {
        tally.close();
    }

    @Test
    void shouldCountEveryViewAndAnswerEachWithTheCountIncludingIt() {
        for (int i = 1; i <= 5; i++) {
            tally.advance(Duration.ofSeconds(1));
            CounterUpdate update = tally.view(7);
            assertThat(update.count()).isEqualTo(i);
            assertThat(update.updatedAt()).isEqualTo(tally.now());
            assertThat(update.liked()).isNull();
        }
        assertThat(tally.count(7, "views")).isEqualTo(5);
        assertThat(tally.state(7, "views").updatedAt()).isEqualTo(tally.now());
    }

    @Test
    void shouldCountAUserWhoLikesTenTimesOnce() {
        List<CounterUpdate> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(tally.like(1, 42));
        }
        assertThat(answers).extracting(CounterUpdate::count).containsOnly(1L);
        assertThat(answers).extracting(CounterUpdate::liked).containsOnly(true);
        assertThat(tally.count(1, "likes")).isEqualTo(1);
        assertThat(tally.likers(1)).containsExactly(42L);
    }

    @Test
    void shouldRemoveALikeOnUnlikeAndNeverGoBelowZero() {
        tally.like(1, 10);
        tally.like(1, 11);
        CounterUpdate unliked = tally.unlike(1, 10);
        assertThat(unliked.count()).isEqualTo(1);
        assertThat(unliked.liked()).isFalse();

        CounterUpdate again = tally.unlike(1, 10);
        assertThat(again.count()).isEqualTo(1);
        assertThat(again.liked()).isFalse();
        CounterUpdate stranger = tally.unlike(1, 99);
        assertThat(stranger.count()).isEqualTo(1);
        assertThat(stranger.liked()).isFalse();

        tally.unlike(1, 11);
        assertThat(tally.unlike(1, 11).count()).isZero();
        assertThat(tally.unlike(2, 11).count()).as("an unlike of a post never liked").isZero();
        assertThat(tally.count(1, "likes")).isZero();
        assertThat(tally.count(2, "likes")).isZero();
        assertThat(tally.likers(1)).isEmpty();
    }

    @Test
    void shouldSendAPostsLikesOnAsOneSumPerCommitUnlessAWriterWaits() {
        tally.likeTotals();
        List<CounterEvent> likes = new ArrayList<>();
        for (long user = 1; user <= 100; user++) {
            likes.add(tally.event(8, "likes", Action.INCREMENT, user, null));
        }
        likes.add(tally.event(8, "likes", Action.DECREMENT, 100L, null));
        tally.sendAsync(likes);
        assertThat(tally.likeTotals()).as("nothing before the commit").isEmpty();

        assertThat(tally.count(8, "likes")).isEqualTo(99);
        assertThat(tally.likeTotals()).singleElement().satisfies(total -> {
            assertThat(total.delta()).isEqualTo(99);
            assertThat(total.eventId()).isNull();
        });

        tally.sendAsync(List.of(tally.event(8, "likes", Action.INCREMENT, 500L, null)));
        CounterUpdate waited = tally.like(8, 501);
        assertThat(waited.count()).as("the waiting write is sent after what was pending").isEqualTo(101);
        assertThat(tally.likeTotals()).satisfiesExactly(pending -> {
            assertThat(pending.delta()).isEqualTo(1);
            assertThat(pending.eventId()).isNull();
        }, total -> {
            assertThat(total.delta()).isEqualTo(1);
            assertThat(total.eventId()).isEqualTo(waited.eventId());
        });
        assertThat(tally.count(8, "likes")).isEqualTo(101);
        assertThat(tally.likeTotals()).as("nothing left pending").isEmpty();
    }

    @Test
    void shouldLetAUserLikeAgainAfterUnliking() {
        tally.like(3, 5);
        tally.unlike(3, 5);
        CounterUpdate relike = tally.like(3, 5);
        assertThat(relike.count()).isEqualTo(1);
        assertThat(relike.liked()).isTrue();
    }

    @Test
    void shouldRefuseADecrementOfAMonotonicCounterThatSlippedPastIngest() {
        tally.view(4);
        tally.view(4);
        assertThat(tally.sendAll(List.of(tally.event(4, "views", Action.DECREMENT, null, null)))).isEmpty();
        assertThat(tally.deadLetters()).singleElement().satisfies(letter -> assertThat(
                new String(letter.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
                .isEqualTo("views only counts up; decrement is not allowed"));
        assertThat(tally.count(4, "views")).isEqualTo(2);
    }

    @Test
    void shouldLetAGenericCounterGoDownAsWellAsUp() {
        tally.send(tally.event(6, "shares", Action.INCREMENT, null, null));
        tally.send(tally.event(6, "shares", Action.INCREMENT, null, null));
        assertThat(tally.send(tally.event(6, "shares", Action.DECREMENT, null, null)).count()).isEqualTo(1);
        assertThat(tally.count(6, "shares")).isEqualTo(1);
    }

    @Test
    void shouldCountAFoldedEventAsEveryWriteItStandsFor() {
        tally.view(12);
        assertThat(tally.send(tally.event(12, "views", Action.INCREMENT, null, null).withAmount(250)).count()).isEqualTo(251);
        tally.send(tally.event(12, "shares", Action.INCREMENT, null, null).withAmount(5));
        assertThat(tally.send(tally.event(12, "shares", Action.DECREMENT, null, null).withAmount(3)).count()).isEqualTo(2);
        assertThat(tally.count(12, "views")).isEqualTo(251);
        assertThat(tally.count(12, "shares")).isEqualTo(2);
    }

    @Test
    void shouldKeepTwoCountersOfOnePostApart() {
        tally.like(9, 1);
        tally.like(9, 2);
        tally.view(9);
        tally.unlike(9, 1);
        assertThat(tally.count(9, "likes")).isEqualTo(1);
        assertThat(tally.count(9, "views")).isEqualTo(1);
        assertThat(tally.allCounts()).containsOnly(
                Map.entry(new CounterKey(9, "likes"), 1L), Map.entry(new CounterKey(9, "views"), 1L));
    }

    @Test
    void shouldKeepManyPostsApartInTheStore() {
        Map<CounterKey, Long> expected = new HashMap<>();
        for (long post = 1; post <= 300; post++) {
            long views = post % 7 + 1;
            for (int i = 0; i < views; i++) {
                tally.view(post);
            }
            expected.put(new CounterKey(post, "views"), views);
            if (post % 3 == 0) {
                tally.like(post, post);
                expected.put(new CounterKey(post, "likes"), 1L);
            }
        }
        assertThat(tally.allCounts()).isEqualTo(expected);
        assertThat(tally.likers(9)).containsExactly(9L);
        assertThat(tally.likers(10)).isEmpty();
    }

    @Test
    void shouldKeepALikeOfOnePostOutOfAnother() {
        tally.like(Long.MAX_VALUE, 1);
        tally.like(1, Long.MAX_VALUE);
        assertThat(tally.count(Long.MAX_VALUE, "likes")).isEqualTo(1);
        assertThat(tally.likers(Long.MAX_VALUE)).containsExactly(1L);
        assertThat(tally.likers(1)).containsExactly(Long.MAX_VALUE);
    }

    @Test
    void shouldAnswerEveryCopyOfARetriedRequestWithTheFirstCopysAnswer() {
        CounterEvent first = tally.event(5, "likes", Action.INCREMENT, 1L, "retry-me");
        CounterUpdate original = tally.send(first);
        tally.advance(Duration.ofSeconds(3));
        tally.like(5, 2);
        tally.advance(Duration.ofSeconds(3));
        CounterUpdate copy = tally.send(tally.event(5, "likes", Action.INCREMENT, 1L, "retry-me"));

        assertThat(copy).isEqualTo(original);
        assertThat(copy.count()).as("the count the first copy answered, not today's").isEqualTo(1);
        assertThat(tally.count(5, "likes")).isEqualTo(2);
        assertThat(tally.remembered(new IdempotencyKey(5, "likes", "retry-me"))).hasSize(1);
    }

    @Test
    void shouldAnswerAReusedKeyWithTheFirstRequestsAnswerEvenIfItsBodyDiffers() {
        CounterUpdate like = tally.send(tally.event(5, "likes", Action.INCREMENT, 1L, "reused"));
        CounterUpdate unlike = tally.send(tally.event(5, "likes", Action.DECREMENT, 1L, "reused"));
        CounterUpdate otherUser = tally.send(tally.event(5, "likes", Action.INCREMENT, 2L, "reused"));
        assertThat(unlike).isEqualTo(like);
        assertThat(otherUser).isEqualTo(like);
        assertThat(tally.count(5, "likes")).isEqualTo(1);
        assertThat(tally.likers(5)).containsExactly(1L);
    }

    @Test
    void shouldApplyAViewRetriedTwentyTimesOnce() {
        List<CounterEvent> copies = IntStream.range(0, 20)
                .mapToObj(i -> tally.event(8, "views", Action.INCREMENT, null, "view-1")).toList();
        List<CounterUpdate> answers = tally.sendAll(copies);
        assertThat(answers).hasSize(20).containsOnly(answers.get(0));
        assertThat(tally.count(8, "views")).isEqualTo(1);
    }

    @Test
    void shouldNotConfuseOneIdempotencyKeyUsedOnDifferentPostsOrCounters() {
        tally.send(tally.event(1, "views", Action.INCREMENT, null, "same"));
        tally.send(tally.event(2, "views", Action.INCREMENT, null, "same"));
        tally.send(tally.event(1, "shares", Action.INCREMENT, null, "same"));
        tally.send(tally.event(1, "views", Action.INCREMENT, null, "same"));
        assertThat(tally.count(1, "views")).isEqualTo(1);
        assertThat(tally.count(2, "views")).isEqualTo(1);
        assertThat(tally.count(1, "shares")).isEqualTo(1);
    }

    @Test
    void shouldStillRecogniseACopyAtTheVeryEndOfTheWindow() {
        tally.send(tally.event(3, "views", Action.INCREMENT, null, "k"));
        tally.advance(WINDOW);
        CounterUpdate copy = tally.send(tally.event(3, "views", Action.INCREMENT, null, "k"));
        assertThat(copy.count()).isEqualTo(1);
        assertThat(tally.count(3, "views")).isEqualTo(1);
    }

    @Test
    void shouldCountACopyAgainOnceTheIdempotencyWindowHasPassed() {
        tally.send(tally.event(3, "views", Action.INCREMENT, null, "k"));
        tally.advance(WINDOW.plusMillis(1));
        CounterUpdate late = tally.send(tally.event(3, "views", Action.INCREMENT, null, "k"));
        assertThat(late.count()).isEqualTo(2);
        assertThat(tally.count(3, "views")).isEqualTo(2);

        // And the late copy opens a window of its own.
        tally.advance(Duration.ofMinutes(1));
        assertThat(tally.send(tally.event(3, "views", Action.INCREMENT, null, "k")).count()).isEqualTo(2);
    }

    @Test
    void shouldForgetKeysOnceTheyAreFarOutsideTheWindow() {
        IdempotencyKey key = new IdempotencyKey(3, "views", "old");
        tally.send(tally.event(3, "views", Action.INCREMENT, null, "old"));
        assertThat(tally.remembered(key)).hasSize(1);
        // The store's time moves on with later keyed writes, of any post; segments older than twice the window go.
        for (int i = 0; i < 6; i++) {
            tally.advance(WINDOW);
            tally.send(tally.event(4, "views", Action.INCREMENT, null, "later-" + i));
        }
        assertThat(tally.remembered(key)).isEmpty();
    }

    @Test
    void shouldRecogniseACopyStampedEarlierByAnIngestWhoseClockIsBehind() {
        tally.advance(Duration.ofMinutes(10));
        tally.send(tally.event(3, "views", Action.INCREMENT, null, "skewed"));
        tally.advance(Duration.ofMinutes(-5));
        assertThat(tally.send(tally.event(3, "views", Action.INCREMENT, null, "skewed")).count()).isEqualTo(1);
        assertThat(tally.count(3, "views")).isEqualTo(1);
    }

    @Test
    void shouldKeepTheLatestChangeAsUpdatedAtEvenWhenAnOlderEventArrivesLate() {
        tally.advance(Duration.ofMinutes(10));
        tally.view(2);
        java.time.Instant latest = tally.now();
        tally.advance(Duration.ofMinutes(-3));
        CounterUpdate late = tally.view(2);
        assertThat(late.updatedAt()).isEqualTo(latest);
        assertThat(tally.state(2, "views").updatedAt()).isEqualTo(latest);
    }

    @Test
    void shouldRefuseAnUnreadableRecordAndAnUnconfiguredCounterAndKeepCounting() {
        byte[] key = "1".getBytes(StandardCharsets.UTF_8);
        assertThat(tally.sendRaw(key, "{not json".getBytes(StandardCharsets.UTF_8), tally.now())).isEmpty();
        assertThat(tally.sendRaw(key, "{\"post_id\":1}".getBytes(StandardCharsets.UTF_8), tally.now())).isEmpty();
        assertThat(tally.sendAll(List.of(tally.event(1, "comments", Action.INCREMENT, null, null)))).isEmpty();
        assertThat(tally.sendAll(List.of(tally.event(1, "likes", Action.INCREMENT, null, null)))).isEmpty();
        assertThat(tally.deadLetters()).hasSize(4);

        assertThat(tally.view(1).count()).isEqualTo(1);
        assertThat(tally.allCounts()).containsOnlyKeys(new CounterKey(1, "views"));
    }

    @Test
    void shouldAnswerZeroWithoutUpdatedAtForANoOpOnACounterNeverCounted() {
        CounterUpdate noop = tally.unlike(77, 1);
        assertThat(noop.count()).isZero();
        assertThat(noop.updatedAt()).isNull();
        assertThat(noop.liked()).isFalse();
        assertThat(tally.state(77, "likes")).isNull();
    }

    @Test
    void shouldGiveAnIdleTaskAnIdempotencyWindowSegmentSoThatARestartFindsItsOffset() {
        assertThat(tally.remembered(SegmentKeeper.KEY)).isEmpty();
        tally.advanceWallClock(Duration.ofMillis(200));
        assertThat(tally.remembered(SegmentKeeper.KEY)).hasSize(1);
        tally.advanceWallClock(Duration.ofMillis(200));
        assertThat(tally.remembered(SegmentKeeper.KEY)).hasSize(1);
    }

    @Test
    void shouldRenewTheSegmentKeeperOncePerHourOfEventTimeAndNeverInTheFuture() {
        tally.view(3);
        for (int minute = 1; minute <= 30; minute++) {
            tally.advance(Duration.ofMinutes(1));
            tally.view(3);
        }
        assertThat(tally.remembered(SegmentKeeper.KEY)).hasSize(1);
        tally.advance(Duration.ofMinutes(31));
        tally.view(3);
        assertThat(tally.remembered(SegmentKeeper.KEY))
                .hasSize(2)
                .allSatisfy(entry -> assertThat(entry.key).isLessThanOrEqualTo(tally.now().toEpochMilli()));
        assertThat(tally.count(3, "views")).isEqualTo(32);
    }
}
