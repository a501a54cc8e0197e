package dev.tally.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A client's Idempotency-Key scoped to one counter of one post, the key of the idempotency store: post id,
 * counter name length and bytes, then the key's bytes.
 */
public record IdempotencyKey(long postId, String counter, String key) {

    /** 1–128 visible ASCII characters, as the HTTP header allows. */
    public static final Pattern FORMAT = Pattern.compile("[\\x21-\\x7e]{1,128}");

    public static final Serde<IdempotencyKey> SERDE = Serdes.serdeFrom(
            (topic, key) -> key == null ? null : key.toBytes(),
            (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

    public byte[] toBytes() {
        byte[] name = counter.getBytes(StandardCharsets.UTF_8);
        byte[] client = key.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(Long.BYTES + 1 + name.length + client.length)
                .putLong(postId).put((byte) name.length).put(name).put(client).array();
    }

    public static IdempotencyKey fromBytes(byte[] bytes) {
        // A corrupt key must fail as a serialization error naming the store, not as a buffer underflow.
        if (bytes.length < Long.BYTES + 1 || bytes.length < Long.BYTES + 1 + Byte.toUnsignedInt(bytes[Long.BYTES])) {
            throw new SerializationException("idempotency key: expected post id, counter and client key, got "
                    + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long postId = buffer.getLong();
        int nameLength = Byte.toUnsignedInt(buffer.get());
        String counter = new String(bytes, buffer.position(), nameLength, StandardCharsets.UTF_8);
        int keyStart = buffer.position() + nameLength;
        return new IdempotencyKey(postId, counter,
                new String(bytes, keyStart, bytes.length - keyStart, StandardCharsets.US_ASCII));
    }

    /**
     * The event id every copy of the request carries, so that all copies, on any ingest instance, are answered
     * for the same event.
     */
    public UUID eventId() {
        return UUID.nameUUIDFromBytes(toBytes());
    }
}
