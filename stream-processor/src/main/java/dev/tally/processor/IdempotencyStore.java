package dev.tally.processor;

import dev.tally.schemas.IdempotencyKey;
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
        return IdempotencyKey.fromBytes(bytes);
    }
}
