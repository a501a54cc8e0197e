package dev.tally.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.schemas.CodecFixtures;
import dev.tally.schemas.IdempotencyKey;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.apache.kafka.common.errors.SerializationException;

/** The codecs of the processor's own idempotency store: round trips, tombstones, and corrupt bytes refused. */
class ProcessorStoreCodecsTest {

    private static final String TOPIC = "any-changelog";

    @Property(tries = 300)
    void shouldRoundTripEveryIdempotencyKey(@ForAll long postId, @ForAll("counterNames") String counter,
                                            @ForAll("clientKeys") String key) {
        CodecFixtures.assertRoundTrip(IdempotencyStore.KEY_SERDE, new IdempotencyKey(postId, counter, key));
    }

    @Property(tries = 300)
    void shouldRoundTripEveryAppliedWrite(@ForAll long count, @ForAll @LongRange(min = 0) long updatedAtMillis,
                                          @ForAll("likedStates") Boolean liked) {
        CodecFixtures.assertRoundTrip(AppliedWrite.SERDE, new AppliedWrite(count, updatedAtMillis, liked));
    }

    @Example
    void shouldRoundTripTheExtremesOfACount() {
        for (long value : new long[] {Long.MIN_VALUE, -1, 0, 1, 63, 64, -64, -65, Long.MAX_VALUE}) {
            CodecFixtures.assertRoundTrip(AppliedWrite.SERDE, new AppliedWrite(value, 0, true));
        }
    }

    @Example
    void shouldPassNullThroughAsATombstone() {
        assertThat(IdempotencyStore.KEY_SERDE.deserializer().deserialize(TOPIC, null)).isNull();
        assertThat(AppliedWrite.SERDE.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Example
    void shouldRefuseCorruptValuesWithASerializationException() {
        assertThatThrownBy(() -> AppliedWrite.fromBytes(new byte[] {2, 2})).isInstanceOf(SerializationException.class)
                .hasMessageContaining("applied write");
        assertThatThrownBy(() -> IdempotencyStore.keyFromBytes(new byte[5])).isInstanceOf(SerializationException.class)
                .hasMessageContaining("idempotency key");
        byte[] nameLongerThanKey = java.nio.ByteBuffer.allocate(10).putLong(1).put((byte) 40).put((byte) 'a').array();
        assertThatThrownBy(() -> IdempotencyStore.keyFromBytes(nameLongerThanKey))
                .isInstanceOf(SerializationException.class).hasMessageContaining("idempotency key");
    }


    @Provide
    Arbitrary<String> counterNames() {
        return CodecFixtures.counterNames();
    }

    @Provide
    Arbitrary<String> clientKeys() {
        return CodecFixtures.clientKeys();
    }

    @Provide
    Arbitrary<Boolean> likedStates() {
        return Arbitraries.of(true, false).injectNull(0.34);
    }
}
