package dev.tally.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.PostKeys;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyLocatorTest {

    private static final HostInfo SELF = new HostInfo("self", 8080);
    private static final HostInfo OTHER = new HostInfo("other", 8080);
    private static final int PARTITIONS = AssignedStreams.PARTITIONS;

    @TempDir
    Path stateDir;

    private AssignedStreams streams;
    private final AssignmentEpoch epoch = new AssignmentEpoch();

    private KeyLocator locator() {
        streams = new AssignedStreams(stateDir, SELF, OTHER);
        return new KeyLocator(streams, SELF, epoch);
    }

    @AfterEach
    void close() {
        streams.close();
    }

    @Test
    void shouldAskKafkaStreamsOncePerPartitionWhileRunningAndPlacePostsAsIngestDoes() {
        KeyLocator locator = locator();
        streams.evenHereOddThereWithStandbyHere();
        epoch.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);

        for (long post = 1; post <= 1000; post++) {
            int partition = PostKeys.partition(post, PARTITIONS);
            assertThat(locator.locate(post)).as("post %d", post).isEqualTo(partition % 2 == 0
                    ? new KeyLocator.Local(partition, List.of(OTHER)) : new KeyLocator.Remote(OTHER, partition, true));
        }
        assertThat(streams.lookups).as("metadata lookups for 1,000 reads").isEqualTo(PARTITIONS);
        assertThat(locator.ownerOf(3)).isEqualTo(new KeyLocator.Remote(OTHER, 3, true));
        assertThat(locator.ownerOf(PARTITIONS)).as("past the topic's end").isEqualTo(new KeyLocator.Unavailable());
    }

    @Test
    void shouldAskOnEveryLookupWhileRebalancingAndKeepTheNewOwnersOnceRunningAgain() {
        KeyLocator locator = locator();
        streams.evenHereOddThereWithStandbyHere();
        epoch.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        long post = LongStream.rangeClosed(1, 100).filter(p -> PostKeys.partition(p, PARTITIONS) == 1).findFirst().orElseThrow();
        assertThat(locator.locate(post)).isEqualTo(new KeyLocator.Remote(OTHER, 1, true));

        epoch.onChange(KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING);
        streams.everyPartitionHere();
        long before = streams.lookups;
        assertThat(locator.locate(post)).isEqualTo(new KeyLocator.Local(1));
        assertThat(locator.ownerOf(1)).isEqualTo(new KeyLocator.Local(1));
        assertThat(streams.lookups - before).as("one lookup per read while rebalancing").isEqualTo(2);

        epoch.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        before = streams.lookups;
        for (long any = 1; any <= 100; any++) {
            assertThat(locator.locate(any)).isInstanceOf(KeyLocator.Local.class);
        }
        assertThat(streams.lookups - before).isEqualTo(PARTITIONS);
    }

    @Test
    void shouldAnswerUnavailableWhileKafkaStreamsHasNoAssignment() {
        KeyLocator locator = locator();
        epoch.onChange(KafkaStreams.State.REBALANCING, KafkaStreams.State.CREATED);
        assertThat(locator.locate(7)).isEqualTo(new KeyLocator.Unavailable());
        assertThat(locator.ownerOf(0)).isEqualTo(new KeyLocator.Unavailable());

        epoch.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        assertThat(locator.locate(7)).as("running, but no assignment known yet").isEqualTo(new KeyLocator.Unavailable());

        streams.everyPartitionHere();
        assertThat(locator.locate(7)).isEqualTo(new KeyLocator.Local(PostKeys.partition(7, PARTITIONS)));
    }

    @Test
    void shouldAnswerUnavailableBeforeKafkaStreamsIsStarted() {
        KeyLocator locator = locator();
        streams.notStarted();
        assertThat(locator.locate(7)).isEqualTo(new KeyLocator.Unavailable());
        assertThat(locator.locateLike(7, 3)).isEqualTo(new KeyLocator.Unavailable());
        assertThat(locator.ownerOf(0)).isEqualTo(new KeyLocator.Unavailable());
    }

    @Test
    void shouldKeepRoutingToTheOwnersOfTheLastRunningPeriodWhileKafkaStreamsKnowsNone() {
        KeyLocator locator = locator();
        streams.evenHereOddThereWithStandbyHere();
        epoch.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        assertThat(locator.ownerOf(3)).isEqualTo(new KeyLocator.Remote(OTHER, 3, true));

        epoch.onChange(KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING);
        streams.noAssignment();
        assertThat(locator.ownerOf(3)).as("rebalancing").isEqualTo(new KeyLocator.Remote(OTHER, 3, true));
        assertThat(locator.ownerOf(2)).isEqualTo(new KeyLocator.Local(2, List.of(OTHER)));
        long post = LongStream.rangeClosed(1, 100).filter(p -> PostKeys.partition(p, PARTITIONS) == 1).findFirst().orElseThrow();
        assertThat(locator.locate(post)).isEqualTo(new KeyLocator.Remote(OTHER, 1, true));

        streams.everyPartitionHere();
        assertThat(locator.ownerOf(3)).as("Kafka Streams' own answer first").isEqualTo(new KeyLocator.Local(3));
    }
}
