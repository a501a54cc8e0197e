package dev.tally.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Key of a post's counter as changed by the events of one region (the region the event was written in, see
 * {@code TALLY_REGION}): 8 bytes of post id, big-endian so that a post's entries sort together, one byte of counter
 * name length, the counter name, then the region name, both UTF-8.
 */
public record RegionCounterKey(long postId, String counter, String region) {

    public static final Serde<RegionCounterKey> SERDE = Serdes.serdeFrom(
            (topic, key) -> key == null ? null : key.toBytes(),
            (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

    public byte[] toBytes() {
        return new PostScopedKey(postId, counter, region.getBytes(StandardCharsets.UTF_8)).toBytes();
    }

    public static RegionCounterKey fromBytes(byte[] bytes) {
        PostScopedKey key = PostScopedKey.fromBytes(bytes, "region counter key");
        return new RegionCounterKey(key.postId(), key.counter(), new String(key.tail(), StandardCharsets.UTF_8));
    }
}
