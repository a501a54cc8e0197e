package dev.tally.query;

import dev.tally.schemas.PostKeys;
import dev.tally.schemas.StoreNames;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Says which instance holds a post's counts, asking Kafka Streams with the post's key as ingest writes it
 * ({@link PostKeys}).
 */
public final class KeyLocator implements PostOwners {

    private final KafkaStreams streams;
    private final HostInfo self;

    public KeyLocator(KafkaStreams streams, HostInfo self) {
        this.streams = streams;
        this.self = self;
    }

    /** Where a post's counts live, right now. */
    public sealed interface Owner permits Local, Remote, Unavailable {
    }

    /** This instance runs the active task for the post's partition. */
    public record Local(int partition) implements Owner {
    }

    /** Another instance runs it; {@code standbyHere} when this instance keeps a standby copy to fail over to. */
    public record Remote(HostInfo host, int partition, boolean standbyHere) implements Owner {
    }

    /** Kafka Streams is rebalancing or starting: no instance can answer for the post yet. */
    public record Unavailable() implements Owner {
    }

    @Override
    public Owner locate(long postId) {
        return owner(() -> streams.queryMetadataForKey(StoreNames.COUNTS, PostKeys.key(postId), PostKeys.SERDE.serializer()));
    }

    @Override
    public Owner locateLike(long postId, long userId) {
        StreamPartitioner<String, Void> byPostAndUser = (topic, key, value, partitions) ->
                Optional.of(Set.of(PostKeys.partition(postId, userId, partitions)));
        return owner(() -> streams.queryMetadataForKey(StoreNames.LIKERS, PostKeys.key(postId), byPostAndUser));
    }

    private Owner owner(Supplier<KeyQueryMetadata> query) {
        KeyQueryMetadata metadata;
        try {
            metadata = query.get();
        } catch (IllegalStateException e) {
            return new Unavailable(); // not started or already closing
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            return new Unavailable();
        }
        if (self.equals(metadata.activeHost())) {
            return new Local(metadata.partition());
        }
        return new Remote(metadata.activeHost(), metadata.partition(), metadata.standbyHosts().contains(self));
    }
}
