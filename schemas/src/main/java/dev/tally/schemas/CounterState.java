package dev.tally.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Value of the counts store: the count as a zig-zag varint, then the time of the last change as a varint of epoch
 * milliseconds. A count under 64 with a 2020s timestamp takes 7 bytes.
 */
public record CounterState(long count, long updatedAtMillis) {

    public static final Serde<CounterState> SERDE = Serdes.serdeFrom(
            (topic, state) -> state == null ? null : state.toBytes(),
            (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

    public Instant updatedAt() {
        return Instant.ofEpochMilli(updatedAtMillis);
    }

    /** Throws {@link ArithmeticException} rather than wrap around: a count that overflowed would be a lie. */
    public CounterState plus(long delta, long atMillis) {
        return new CounterState(Math.addExact(count, delta), Math.max(updatedAtMillis, atMillis));
    }

    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(2 * VarInts.MAX_BYTES);
        VarInts.writeSigned(count, buffer);
        VarInts.writeUnsigned(updatedAtMillis, buffer);
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    public static CounterState fromBytes(byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new CounterState(VarInts.readSigned(buffer), VarInts.readUnsigned(buffer));
        } catch (RuntimeException e) {
            throw new SerializationException("counter state: corrupt value of " + bytes.length + " bytes", e);
        }
    }
}
