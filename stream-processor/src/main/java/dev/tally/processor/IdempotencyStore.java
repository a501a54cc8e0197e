package dev.tally.processor;

import dev.tally.schemas.IdempotencyKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The processor's idempotency store: {@link IdempotencyKey} (its own bytes) to {@link AppliedWrite}, a window
 * store that forgets keys after the dedup window. Only the processor reads it.
 */
final class IdempotencyStore {

    static final String NAME = "idempotency-keys";

    static final Serde<IdempotencyKey> KEY_SERDE = Serdes.serdeFrom(
            (topic, key) -> key == null ? null : key.toBytes(),
            (topic, bytes) -> bytes == null ? null : keyFromBytes(bytes));

    private IdempotencyStore() {
    }

    static IdempotencyKey keyFromBytes(byte[] bytes) {
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
}
