package dev.tally.processor;

import java.util.ArrayList;
import java.util.List;

/**
 * The region this processor runs in ({@code TALLY_REGION}) and its peers ({@code TALLY_PEER_REGIONS}), whose events
 * MirrorMaker 2 copies here as {@code <peer>.<events topic>} (its default replication policy), partition for
 * partition. Every region counts its own events and the mirrored events of the others, so all converge on the same
 * counts; an event's origin is the topic it was read from.
 *
 * @param local       this region's name
 * @param peers       the other regions' names, empty for a deployment of one region
 * @param eventsTopic this region's event topic
 */
record Regions(String local, List<String> peers, String eventsTopic) {

    Regions {
        peers = List.copyOf(peers);
    }

    /** The event topic and the mirrored event topic of every peer. */
    List<String> sourceTopics() {
        List<String> topics = new ArrayList<>();
        topics.add(eventsTopic);
        peers.forEach(peer -> topics.add(mirroredTopic(peer)));
        return topics;
    }

    String mirroredTopic(String peer) {
        return peer + "." + eventsTopic;
    }

    /** The region an event read from {@code topic} was written in. */
    String originOf(String topic) {
        if (topic.equals(eventsTopic)) {
            return local;
        }
        return topic.substring(0, topic.length() - eventsTopic.length() - 1);
    }

    boolean isLocal(String topic) {
        return topic.equals(eventsTopic);
    }

    /** Whether counts are also kept per region (only worth their bytes when there is more than one). */
    boolean tracked() {
        return !peers.isEmpty();
    }

    /** This region and its peers. */
    List<String> all() {
        List<String> all = new ArrayList<>(peers.size() + 1);
        all.add(local);
        all.addAll(peers);
        return all;
    }
}
