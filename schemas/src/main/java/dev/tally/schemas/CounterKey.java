package dev.tally.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Key of the counts store: 8 bytes of post id, big-endian so that one post's counters sort together, then the
 * counter name in UTF-8. "likes" of a post is 13 bytes.
 */
public record CounterKey(long postId, String counter) {

    public static final Serde<CounterKey> SERDE = Serdes.serdeFrom(
            (topic, key) -> key == null ? null : key.toBytes(),
            (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

    public byte[] toBytes() {
        byte[] name = counter.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Long.BYTES + name.length).putLong(postId).put(name).array();
    }

    public static CounterKey fromBytes(byte[] bytes) {
        if (bytes.length <= Long.BYTES) {
            throw new SerializationException("counter key: expected post id and counter name, got " + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long postId = buffer.getLong();
        return new CounterKey(postId, new String(bytes, Long.BYTES, bytes.length - Long.BYTES, StandardCharsets.UTF_8));
    }
}
