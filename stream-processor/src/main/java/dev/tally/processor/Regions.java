package dev.tally.processor;

import dev.tally.schemas.TopicNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The region this processor runs in ({@code TALLY_REGION}) and its peers ({@code TALLY_PEER_REGIONS}), whose events
 * MirrorMaker 2 copies here partition for partition ({@link TopicNames#mirroredEvents(String)}). Every region counts
 * its own events and the mirrored events of the others, so all converge on the same counts; an event's origin is
 * the topic it was read from.
 *
 * @param local  this region's name
 * @param topics this region's topics, which name the peers
 */
record Regions(String local, TopicNames topics) {

    /** The event topic and the mirrored event topic of every peer. */
    List<String> sourceTopics() {
        return topics.eventSources();
    }

    String mirroredTopic(String peer) {
        return topics.mirroredEvents(peer);
    }

    /** The region an event read from {@code topic} was written in. */
    String originOf(String topic) {
        if (isLocal(topic)) {
            return local;
        }
        return topic.substring(0, topic.length() - topics.events().length() - 1);
    }

    boolean isLocal(String topic) {
        return topic.equals(topics.events());
    }

    /** Whether counts are also kept per region (only worth their bytes when there is more than one). */
    boolean tracked() {
        return !topics.peerRegions().isEmpty();
    }

    /** This region and its peers. */
    List<String> all() {
        List<String> all = new ArrayList<>(topics.peerRegions().size() + 1);
        all.add(local);
        all.addAll(topics.peerRegions());
        return all;
    }
}
