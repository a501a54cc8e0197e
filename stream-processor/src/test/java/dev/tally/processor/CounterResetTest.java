package dev.tally.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.Action;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterUpdate;
import dev.tally.schemas.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An admin's reset, as the processor applies it from the event topic: zero, once, and the same on a replay. */
class CounterResetTest {

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
    void shouldResetLikesToZeroAndForgetWhoLikedSoTheyCanLikeAgainButNeverUnlikeBelowZero() {
        tally.like(1, 10);
        tally.like(1, 11);
        tally.like(1, 12);
        tally.like(2, 10);

        CounterUpdate reset = tally.reset(1, "likes", null);

        assertThat(reset.count()).isZero();
        assertThat(tally.count(1, "likes")).isZero();
        assertThat(tally.likers(1)).isEmpty();
        assertThat(tally.likers(2)).containsExactly(10L); // another post keeps its likes
        assertThat(tally.unlike(1, 11).count()).isZero();
        assertThat(tally.like(1, 10).count()).isEqualTo(1);
        assertThat(tally.count(1, "likes")).isEqualTo(1);
    }

    @Test
    void shouldResetViewsAndCountOnFromZero() {
        tally.view(7);
        tally.view(7);
        tally.advance(Duration.ofSeconds(1));

        assertThat(tally.reset(7, "views", null).count()).isZero();
        assertThat(tally.state(7, "views").updatedAt()).isEqualTo(tally.now());
        assertThat(tally.view(7).count()).isEqualTo(1);
    }

    @Test
    void shouldApplyARetriedResetOnceAndAnswerTheRetryWithTheFirstAnswer() {
        tally.view(7);
        tally.view(7);
        assertThat(tally.reset(7, "views", "reset-7-a").count()).isZero();
        tally.view(7);

        CounterUpdate retry = tally.reset(7, "views", "reset-7-a");

        assertThat(retry.count()).isZero();
        assertThat(tally.count(7, "views")).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterAResetThatNamesAUser() {
        tally.like(1, 10);
        CounterEvent forged = new CounterEvent(UUID.randomUUID(), 1, "likes", Action.RESET, 10L, null, tally.now());

        assertThat(tally.sendAll(List.of(forged))).isEmpty();

        assertThat(tally.count(1, "likes")).isEqualTo(1);
        assertThat(tally.deadLetters()).singleElement().satisfies(dead -> assertThat(
                new String(dead.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
                .contains("a reset takes no user_id"));
    }

    @Test
    void shouldReachTheSameCountsWhenTheLogIsReplayedFromTheStart() {
        List<CounterEvent> log = new ArrayList<>();
        log.add(tally.event(1, "likes", Action.INCREMENT, 10L, null));
        log.add(tally.event(1, "likes", Action.INCREMENT, 11L, null));
        log.add(tally.event(1, "views", Action.INCREMENT, null, null));
        log.add(tally.event(1, "likes", Action.RESET, null, "r-1"));
        log.add(tally.event(1, "likes", Action.INCREMENT, 11L, null));
        log.add(tally.event(1, "likes", Action.DECREMENT, 10L, null));
        log.add(tally.event(1, "views", Action.RESET, null, null));
        log.add(tally.event(1, "views", Action.INCREMENT, null, null));
        tally.sendAll(log);
        Map<CounterKey, Long> counted = tally.allCounts();

        try (TopologyHarness rebuilt = new TopologyHarness(WINDOW)) {
            rebuilt.sendAll(log);
            assertThat(rebuilt.allCounts()).isEqualTo(counted);
            assertThat(rebuilt.likers(1)).isEqualTo(tally.likers(1)).containsExactly(11L);
        }
        assertThat(counted).containsEntry(new CounterKey(1, "likes"), 1L).containsEntry(new CounterKey(1, "views"), 1L);
    }
}
