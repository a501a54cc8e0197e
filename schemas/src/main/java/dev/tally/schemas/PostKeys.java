package dev.tally.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;

/**
 * How a post is keyed on every topic tally writes, and so which partition holds it: the post id in decimal,
 * UTF-8, placed by Kafka's default partitioner (murmur2 of the key bytes). Ingest, presence reports, the
 * processor and the query API's owner lookup all key through here, so they agree on where a post lives.
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
}
