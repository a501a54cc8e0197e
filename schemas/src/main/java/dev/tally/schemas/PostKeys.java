package dev.tally.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;

/**
 * How a post is keyed on every topic tally writes, and so which partition holds it: the post id in decimal,
 * UTF-8, placed by Kafka's default partitioner (murmur2 of the key bytes). Ingest, presence reports, the
 * processor and the query API's owner lookup all key through here, so they agree on where a post lives. A
 * per-user counter's events are the one exception: they are placed by post and user ({@link EventPlacement}).
 */
public final class PostKeys {

    /** Record keys of the event, replies, changes and presence topics. */
    public static final Serde<String> SERDE = Serdes.String();

    private PostKeys() {
    }

    public static String key(long postId) {
        return Long.toString(postId);
    }

    /** The partition of {@code partitions} that holds the post, as Kafka's default partitioner places its key. */
    public static int partition(long postId, int partitions) {
        return Utils.toPositive(Utils.murmur2(key(postId).getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * The partition of {@code partitions} that holds one user's state of a post's per-user counter (a like): murmur2
     * of {@code "<post>/<user>"}, so that a post's likes spread over every partition while each user's stay on one.
     */
    public static int partition(long postId, long userId, int partitions) {
        return Utils.toPositive(Utils.murmur2((postId + "/" + userId).getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
