package dev.tally.schemas;

import java.nio.ByteBuffer;

/**
 * LEB128 variable-length integers, as in Protocol Buffers: small numbers take one byte. Signed values are zig-zag
 * encoded first so that small negatives stay small. Kafka has the same codec, but only in internal packages.
 */
public final class VarInts {

    /** The most bytes one 64-bit value takes. */
    public static final int MAX_BYTES = 10;

    private VarInts() {
    }

    public static void writeUnsigned(long value, ByteBuffer buffer) {
        while ((value & ~0x7FL) != 0) {
            buffer.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        buffer.put((byte) value);
    }

    public static long readUnsigned(ByteBuffer buffer) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buffer.get();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes");
    }

    public static void writeSigned(long value, ByteBuffer buffer) {
        writeUnsigned((value << 1) ^ (value >> 63), buffer);
    }

    public static long readSigned(ByteBuffer buffer) {
        long raw = readUnsigned(buffer);
        return (raw >>> 1) ^ -(raw & 1);
    }
}
