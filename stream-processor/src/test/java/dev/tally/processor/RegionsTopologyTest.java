package dev.tally.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.Action;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterUpdate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One region's processor ("east") reading its own events and those MirrorMaker 2 copies from "west": each counted
 * once, answered only where their writer waits, and kept per region for operators.
 */
class RegionsTopologyTest {

    private final TopologyHarness east = new TopologyHarness(Duration.ofHours(1), "east", List.of("west"));
    /** Writes the events "west" would have written: its own clock, its own event ids. */
    private final TopologyHarness west = new TopologyHarness(Duration.ofHours(1), "west", List.of("east"));

    @AfterEach
    void close() {
        east.close();
        west.close();
    }

    @Test
    void shouldCountOwnAndMirroredViewsOnceEachAndKeepWhatEachRegionAdded() {
        assertThat(east.sendAll(List.of(east.event(1, "views", Action.INCREMENT, null, null),
                east.event(1, "views", Action.INCREMENT, null, null)))).extracting(CounterUpdate::count).containsExactly(1L, 2L);
        List<CounterUpdate> repliesHere = east.sendMirrored("west", List.of(west.event(1, "views", Action.INCREMENT, null, null),
                west.event(1, "views", Action.INCREMENT, null, null), west.event(1, "views", Action.INCREMENT, null, null)));

        assertThat(repliesHere).as("west's writers wait in west").isEmpty();
        assertThat(east.count(1, "views")).isEqualTo(5);
        assertThat(east.regionCount(1, "views", "east")).isEqualTo(2);
        assertThat(east.regionCount(1, "views", "west")).isEqualTo(3);
    }

    @Test
    void shouldEndWithTheUsersLatestActionWhicheverRegionItWasIn() {
        CounterEvent likeInEast = east.event(2, "likes", Action.INCREMENT, 7L, null);
        west.advance(Duration.ofSeconds(1));
        CounterEvent unlikeInWest = west.event(2, "likes", Action.DECREMENT, 7L, null);
        west.advance(Duration.ofSeconds(1));
        CounterEvent otherUserInWest = west.event(2, "likes", Action.INCREMENT, 8L, null);

        // West's unlike arrives (mirrored, after the partition heals) after east counted the like: the later wins.
        assertThat(east.sendAll(List.of(likeInEast))).singleElement().extracting(CounterUpdate::count).isEqualTo(1L);
        east.sendMirrored("west", List.of(unlikeInWest, otherUserInWest));
        // West gets east's earlier like after its own unlike: it changes nothing there.
        west.sendAsync(List.of(unlikeInWest, otherUserInWest));
        west.sendMirrored("east", List.of(likeInEast));

        assertThat(east.count(2, "likes")).isEqualTo(1);
        assertThat(west.count(2, "likes")).isEqualTo(1);
        assertThat(east.likers(2)).isEqualTo(west.likers(2)).containsExactly(8L);
        assertThat(east.regionCount(2, "likes", "west")).isEqualTo(0);
        assertThat(east.regionCount(2, "likes", "east")).isEqualTo(1);
    }

    @Test
    void shouldCountAnIdempotencyKeyRetriedIntoTheOtherRegionOnce() {
        CounterEvent first = east.event(3, "views", Action.INCREMENT, null, "tap-1");
        east.advance(Duration.ofSeconds(2));
        // The client failed over and retried the same request in the other region: same key, later stamp.
        CounterEvent retried = new CounterEvent(first.eventId(), 3, "views", Action.INCREMENT, null, "tap-1",
                first.timestamp().plusSeconds(2));

        east.sendAll(List.of(first));
        east.sendMirrored("west", List.of(retried));
        west.sendAll(List.of(retried));
        west.sendMirrored("east", List.of(first));

        assertThat(east.count(3, "views")).isEqualTo(1);
        assertThat(west.count(3, "views")).isEqualTo(1);
    }
}
