package dev.tally.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopicNamesTest {

    @Test
    void shouldCountOnlyItsOwnEventsWithoutPeerRegions() {
        TopicNames topics = TopicNames.defaults();
        assertThat(topics.peerRegions()).isEmpty();
        assertThat(topics.eventSources()).containsExactly("counter-events");
    }

    /** MirrorMaker 2's DefaultReplicationPolicy names a remote topic {@code <source cluster alias>.<topic>}. */
    @Test
    void shouldNameAPeersEventsAsMirrorMakersDefaultReplicationPolicyDoes() {
        TopicNames topics = TopicNames.withPrefix("eu-").withPeerRegions(List.of("west"));
        assertThat(topics.mirroredEvents("west")).isEqualTo("west.eu-counter-events");
        assertThat(topics.eventSources()).containsExactly("eu-counter-events", "west.eu-counter-events");
        assertThat(topics.withPeerRegions(List.of())).isEqualTo(TopicNames.withPrefix("eu-"));
    }
}
