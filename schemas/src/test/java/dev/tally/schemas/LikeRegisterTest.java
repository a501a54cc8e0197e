package dev.tally.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class LikeRegisterTest {

    private static final Instant AT = Instant.parse("2026-11-28T10:00:00.000001Z");

    @Test
    void shouldRoundTripInTwentyFiveBytes() {
        LikeRegister register = new LikeRegister(true, 1_795_000_000_000_001L, UUID.randomUUID());
        byte[] bytes = LikeRegister.SERDE.serializer().serialize("t", register);
        assertThat(bytes).hasSize(25);
        assertThat(LikeRegister.SERDE.deserializer().deserialize("t", bytes)).isEqualTo(register);
    }

    @Test
    void shouldReadTheOneByteOfEarlierVersionsAsALikeOlderThanAnyEvent() {
        LikeRegister legacy = LikeRegister.fromBytes(new byte[] {1});
        assertThat(legacy.liked()).isTrue();
        LikeRegister unlike = LikeRegister.of(event(Action.DECREMENT, Instant.EPOCH), false);
        assertThat(unlike.supersedes(legacy)).isTrue();
        assertThatThrownBy(() -> LikeRegister.fromBytes(new byte[] {2})).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> LikeRegister.fromBytes(new byte[7])).isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldLetTheLaterEventWinAndTheSameEventChangeNothing() {
        LikeRegister like = LikeRegister.of(event(Action.INCREMENT, AT), true);
        LikeRegister laterUnlike = LikeRegister.of(event(Action.DECREMENT, AT.plusNanos(1_000)), false);
        assertThat(laterUnlike.supersedes(like)).isTrue();
        assertThat(like.supersedes(laterUnlike)).as("an older like arriving late").isFalse();
        assertThat(like.supersedes(like)).as("a copy of the same event").isFalse();
        LikeRegister sameMicrosecond = LikeRegister.of(event(Action.DECREMENT, AT), false);
        assertThat(sameMicrosecond.supersedes(like)).as("a tie goes to the later arrival, the log's order").isTrue();
    }

    private static CounterEvent event(Action action, Instant at) {
        return new CounterEvent(UUID.randomUUID(), 1, "likes", action, 7L, null, at);
    }
}
