package dev.tally.schemas;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Value of the likers store: one user's state of one post's per-user counter, a last-writer-wins register. The
 * latest event wins, ordered by event time (microseconds, as ingest stamps it), so the outcome depends only on
 * which events were applied, not on the order they arrived in: a late copy, an event the processor moved to its
 * own partition, or one mirrored from another region (all of which can arrive after newer ones) changes nothing it
 * should not. The register of an unlike is kept, so that an older like arriving after it cannot count again. Two
 * different events of the same microsecond go to the later arrival: ingest stamps every event of a process a
 * distinct microsecond, so ties come only from events written before it did, whose batches shared one timestamp,
 * and for those the later arrival is their order in the log.
 *
 * <p>Binary, 25 bytes: one byte liked (0 or 1), the event time as 8 bytes of epoch microseconds, the event id as
 * 16 bytes. The single byte {@code 1} of earlier versions reads as a like older than any event.
 */
public record LikeRegister(boolean liked, long atMicros, UUID eventId) {

    private static final int SIZE = 1 + Long.BYTES + 2 * Long.BYTES;
    private static final UUID NO_EVENT = new UUID(Long.MIN_VALUE, Long.MIN_VALUE);

    public static final Serde<LikeRegister> SERDE = Serdes.serdeFrom(
            (topic, register) -> register == null ? null : register.toBytes(),
            (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

    public static LikeRegister of(CounterEvent event, boolean liked) {
        return new LikeRegister(liked, micros(event.timestamp()), event.eventId());
    }

    /** Whether this register, arriving now, replaces {@code current}: a later event, or another one as late. */
    public boolean supersedes(LikeRegister current) {
        if (atMicros != current.atMicros) {
            return atMicros > current.atMicros;
        }
        return !eventId.equals(current.eventId);
    }

    public byte[] toBytes() {
        return ByteBuffer.allocate(SIZE).put(liked ? (byte) 1 : (byte) 0).putLong(atMicros)
                .putLong(eventId.getMostSignificantBits()).putLong(eventId.getLeastSignificantBits()).array();
    }

    public static LikeRegister fromBytes(byte[] bytes) {
        if (bytes.length == 1 && bytes[0] == 1) {
            return new LikeRegister(true, Long.MIN_VALUE, NO_EVENT);
        }
        if (bytes.length != SIZE || (bytes[0] != 0 && bytes[0] != 1)) {
            throw new SerializationException("like register: expected " + SIZE + " bytes, got " + bytes.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        boolean liked = buffer.get() == 1;
        long at = buffer.getLong();
        return new LikeRegister(liked, at, new UUID(buffer.getLong(), buffer.getLong()));
    }

    private static long micros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    }
}
