package dev.tally.processor;

import dev.tally.schemas.VarInts;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Value of the idempotency store: what the first copy of a request answered, so that every later copy gets the
 * same answer. Zig-zag varint count, varint epoch millis, one byte for liked (0 absent, 1 false, 2 true).
 */
record AppliedWrite(long count, long updatedAtMillis, Boolean liked) {

    public static final Serde<AppliedWrite> SERDE = Serdes.serdeFrom(
            (topic, write) -> write == null ? null : write.toBytes(),
            (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(2 * VarInts.MAX_BYTES + 1);
        VarInts.writeSigned(count, buffer);
        VarInts.writeUnsigned(updatedAtMillis, buffer);
        buffer.put(liked == null ? (byte) 0 : liked ? (byte) 2 : (byte) 1);
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    public static AppliedWrite fromBytes(byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long count = VarInts.readSigned(buffer);
            long updatedAt = VarInts.readUnsigned(buffer);
            byte liked = buffer.get();
            if (liked < 0 || liked > 2 || buffer.hasRemaining()) {
                throw new IllegalArgumentException("unexpected liked byte " + liked + " or trailing bytes");
            }
            return new AppliedWrite(count, updatedAt, liked == 0 ? null : liked == 2);
        } catch (RuntimeException e) {
            throw new SerializationException("applied write: corrupt value of " + bytes.length + " bytes", e);
        }
    }
}
