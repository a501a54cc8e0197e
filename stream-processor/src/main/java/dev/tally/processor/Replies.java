package dev.tally.processor;

import dev.tally.schemas.CounterUpdate;
import dev.tally.schemas.JsonSerde;
import dev.tally.schemas.ReplyHeaders;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The one reply a waiting writer gets ({@link CounterUpdate} on the replies topic), addressed by the reply headers
 * ingest put on its event: the partition its instance reads, and the instance's id.
 */
final class Replies {

    static final String SINK = "replies";
    private static final JsonSerde<CounterUpdate> SERDE = new JsonSerde<>(CounterUpdate.class);

    private Replies() {
    }

    /** The reply to the record that carried {@code headers}, or empty when nobody waits for one. */
    static Optional<Record<byte[], byte[]>> to(Record<byte[], byte[]> record, Headers headers, long postId,
                                               String counter, UUID eventId, AppliedWrite answer) {
        Optional<Integer> partition = ReplyHeaders.partition(headers, ReplyHeaders.PARTITION);
        if (partition.isEmpty()) {
            return Optional.empty();
        }
        Instant updatedAt = answer.updatedAtMillis() == 0 ? null : Instant.ofEpochMilli(answer.updatedAtMillis());
        CounterUpdate update = new CounterUpdate(postId, counter, answer.count(), updatedAt, eventId, answer.liked());
        RecordHeaders replyTo = new RecordHeaders();
        replyTo.add(ReplyHeaders.PARTITION, ReplyHeaders.utf8(Integer.toString(partition.get())));
        ReplyHeaders.text(headers, ReplyHeaders.INSTANCE)
                .ifPresent(instance -> replyTo.add(ReplyHeaders.INSTANCE, ReplyHeaders.utf8(instance)));
        return Optional.of(record.withValue(SERDE.serialize(null, update)).withHeaders(replyTo));
    }

    /** Only the reply headers of {@code headers}, to carry a waiting writer's address on to the next stage. */
    static Headers addressOf(Headers headers) {
        RecordHeaders address = new RecordHeaders();
        for (String name : new String[] {ReplyHeaders.PARTITION, ReplyHeaders.INSTANCE}) {
            ReplyHeaders.text(headers, name).ifPresent(value -> address.add(name, ReplyHeaders.utf8(value)));
        }
        return address;
    }
}
