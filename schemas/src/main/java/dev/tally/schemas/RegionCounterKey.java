package dev.tally.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
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
        byte[] name = counter.getBytes(StandardCharsets.UTF_8);
        byte[] where = region.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Long.BYTES + 1 + name.length + where.length)
                .putLong(postId).put((byte) name.length).put(name).put(where).array();
    }

    public static RegionCounterKey fromBytes(byte[] bytes) {
        if (bytes.length < Long.BYTES + 1 || bytes.length < Long.BYTES + 1 + Byte.toUnsignedInt(bytes[Long.BYTES])) {
            throw new SerializationException("region counter key: expected post id, counter and region, got "
                    + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long postId = buffer.getLong();
        int nameLength = Byte.toUnsignedInt(buffer.get());
        String counter = new String(bytes, buffer.position(), nameLength, StandardCharsets.UTF_8);
        int regionStart = buffer.position() + nameLength;
        return new RegionCounterKey(postId, counter,
                new String(bytes, regionStart, bytes.length - regionStart, StandardCharsets.UTF_8));
    }
}
