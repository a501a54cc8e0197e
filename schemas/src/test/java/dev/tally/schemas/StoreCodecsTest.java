package dev.tally.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;

/**
 * The binary codecs of the state stores: whatever goes in comes back out, through the {@link Serde} Kafka uses, and
 * a corrupt value fails with a {@link SerializationException} rather than a buffer error or a wrong count.
 */
class StoreCodecsTest {

    private static final String TOPIC = "any-changelog";

    @Property(tries = 300)
    void shouldRoundTripEveryCounterKey(@ForAll long postId, @ForAll("counterNames") String counter) {
        CodecFixtures.assertRoundTrip(CounterKey.SERDE, new CounterKey(postId, counter));
    }

    @Property(tries = 300)
    void shouldRoundTripEveryCounterState(@ForAll long count, @ForAll @LongRange(min = 0) long updatedAtMillis) {
        CodecFixtures.assertRoundTrip(CounterState.SERDE, new CounterState(count, updatedAtMillis));
    }

    @Property(tries = 300)
    void shouldRoundTripEveryLikeKey(@ForAll long postId, @ForAll("counterNames") String counter, @ForAll long userId) {
        CodecFixtures.assertRoundTrip(LikeKey.SERDE, new LikeKey(postId, counter, userId));
    }

    @Property(tries = 200)
    void shouldGiveEveryCopyOfARequestTheSameEventIdAndOtherRequestsAnother(
            @ForAll @LongRange(min = 1) long postId, @ForAll("clientKeys") String key, @ForAll("clientKeys") String other) {
        IdempotencyKey first = new IdempotencyKey(postId, "likes", key);
        assertThat(new IdempotencyKey(postId, "likes", key).eventId()).isEqualTo(first.eventId());
        if (!other.equals(key)) {
            assertThat(new IdempotencyKey(postId, "likes", other).eventId()).isNotEqualTo(first.eventId());
        }
        assertThat(new IdempotencyKey(postId, "views", key).eventId()).isNotEqualTo(first.eventId());
    }

    @Example
    void shouldKeepALikesKeyAndASmallCountCompact() {
        assertThat(new CounterKey(1234567890123L, "likes").toBytes()).hasSize(13);
        // A count under 64 takes one byte; a 2020s epoch millisecond needs six.
        assertThat(new CounterState(42, 1_800_000_000_000L).toBytes()).hasSize(7);
        assertThat(new LikeKey(1, "likes", 2).toBytes()).hasSize(21);
    }

    @Example
    void shouldRoundTripTheExtremesOfEveryNumber() {
        for (long value : new long[] {Long.MIN_VALUE, -1, 0, 1, 63, 64, -64, -65, Long.MAX_VALUE}) {
            CodecFixtures.assertRoundTrip(CounterState.SERDE, new CounterState(value, Long.MAX_VALUE));
        }
    }

    @Example
    void shouldSortTheCountersOfOnePostTogether() {
        byte[] likesOfOne = new CounterKey(1, "likes").toBytes();
        byte[] viewsOfOne = new CounterKey(1, "views").toBytes();
        byte[] likesOfTwo = new CounterKey(2, "likes").toBytes();
        assertThat(java.util.Arrays.compareUnsigned(likesOfOne, viewsOfOne)).isNegative();
        assertThat(java.util.Arrays.compareUnsigned(viewsOfOne, likesOfTwo)).isNegative();
    }

    @Example
    void shouldPassNullThroughEverySerdeAsATombstone() {
        for (Serde<?> serde : java.util.List.of(CounterKey.SERDE, CounterState.SERDE, LikeKey.SERDE)) {
            assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
        }
        assertThat(CounterState.SERDE.serializer().serialize(TOPIC, null)).isNull();
    }

    @Example
    void shouldRefuseCorruptValuesWithASerializationException() {
        byte[] truncatedVarint = {(byte) 0x80};
        assertThatThrownBy(() -> CounterState.fromBytes(new byte[0])).isInstanceOf(SerializationException.class)
                .hasMessageContaining("counter state");
        assertThatThrownBy(() -> CounterState.fromBytes(truncatedVarint)).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> CounterKey.fromBytes(new byte[8])).isInstanceOf(SerializationException.class)
                .hasMessageContaining("counter key");
        assertThatThrownBy(() -> LikeKey.fromBytes(new byte[16])).isInstanceOf(SerializationException.class)
                .hasMessageContaining("like key");
    }


    @Provide
    Arbitrary<String> counterNames() {
        return CodecFixtures.counterNames();
    }

    @Provide
    Arbitrary<String> clientKeys() {
        return CodecFixtures.clientKeys();
    }
}
