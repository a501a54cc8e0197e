package dev.tally.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.apache.kafka.common.serialization.Serde;

/**
 * What the store codec tests of every module share: names and keys as tally allows them, and the round trip
 * through the {@link Serde} Kafka uses. Published in this module's test jar.
 */
public final class CodecFixtures {

    private static final String TOPIC = "any-changelog";

    private CodecFixtures() {
    }

    public static <T> void assertRoundTrip(Serde<T> serde, T value) {
        byte[] bytes = serde.serializer().serialize(TOPIC, value);
        assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(value);
    }

    /** Counter names as {@link CounterCatalog#NAME} allows them. */
    public static Arbitrary<String> counterNames() {
        return Arbitraries.strings().withCharRange('a', 'z').numeric().withChars('_').ofMinLength(1).ofMaxLength(31)
                .map(tail -> "c" + tail);
    }

    /** Idempotency-Keys as {@link IdempotencyKey#FORMAT} allows them. */
    public static Arbitrary<String> clientKeys() {
        return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(128);
    }
}
