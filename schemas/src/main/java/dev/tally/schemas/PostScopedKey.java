package dev.tally.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The byte layout of a store key scoped to one counter of one post, then something of its own: 8 bytes of post id,
 * big-endian so that a post's entries sort together, one byte of counter name length, the counter name in UTF-8,
 * then the tail. An Idempotency-Key (tail: the client's key) and a region's figure (tail: the region) are keyed so.
 */
record PostScopedKey(long postId, String counter, byte[] tail) {

    byte[] toBytes() {
        byte[] name = counter.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(Long.BYTES + 1 + name.length + tail.length)
                .putLong(postId).put((byte) name.length).put(name).put(tail).array();
    }

    /** Reads the layout back; a corrupt key fails as a serialization error naming {@code what}, not as an underflow. */
    static PostScopedKey fromBytes(byte[] bytes, String what) {
        if (bytes.length < Long.BYTES + 1 || bytes.length < Long.BYTES + 1 + Byte.toUnsignedInt(bytes[Long.BYTES])) {
            throw new SerializationException(what + ": expected post id, counter and more, got " + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long postId = buffer.getLong();
        int nameLength = Byte.toUnsignedInt(buffer.get());
        String counter = new String(bytes, buffer.position(), nameLength, StandardCharsets.UTF_8);
        int tailStart = buffer.position() + nameLength;
        byte[] tail = new byte[bytes.length - tailStart];
        System.arraycopy(bytes, tailStart, tail, 0, tail.length);
        return new PostScopedKey(postId, counter, tail);
    }
}
