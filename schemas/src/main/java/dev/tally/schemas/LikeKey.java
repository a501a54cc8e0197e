package dev.tally.schemas;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Key of the per-user store: post id, counter name and user id. Its presence means the user's last action on that
 * per-user counter was an increment. Post id first so that a post's entries stay together.
 */
public record LikeKey(long postId, String counter, long userId) {

    public static final Serde<LikeKey> SERDE = Serdes.serdeFrom(
            (topic, key) -> key == null ? null : key.toBytes(),
            (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

    public byte[] toBytes() {
        byte[] name = counter.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 * Long.BYTES + name.length).putLong(postId).putLong(userId).put(name).array();
    }

    public static LikeKey fromBytes(byte[] bytes) {
        if (bytes.length <= 2 * Long.BYTES) {
            throw new SerializationException("like key: expected post id, user id and counter, got " + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long postId = buffer.getLong();
        long userId = buffer.getLong();
        String counter = new String(bytes, 2 * Long.BYTES, bytes.length - 2 * Long.BYTES,
                java.nio.charset.StandardCharsets.UTF_8);
        return new LikeKey(postId, counter, userId);
    }
}
