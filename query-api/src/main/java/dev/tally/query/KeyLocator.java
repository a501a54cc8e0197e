package dev.tally.query;

import dev.tally.schemas.PostKeys;
import dev.tally.schemas.StoreNames;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Says which instance holds a partition of the counts store, and so a post's counts, from Kafka Streams' metadata.
 *
 * <p>Kafka Streams answers {@code queryMetadataForKey} under a lock it also takes for every other metadata call, so
 * asking it on every read queued the request threads on it. While Kafka Streams is RUNNING the assignment does not
 * change, so the owner of every partition is asked once per {@link AssignmentEpoch} and kept in an array; a post's
 * partition is computed as ingest places it ({@link PostKeys#partition}, murmur2 of the key, as Kafka Streams'
 * default partitioner does). While it is not RUNNING (starting, rebalancing) each lookup asks Kafka Streams as
 * before, so reads see an assignment as it changes; where it has none, the last RUNNING period's owners answer.
 *
 * <p>The partitions are those of the counts store's source topic, the sub-topology that counts a post; another
 * store of that sub-topology is owned alike, and {@link #ownerOf} routes a lookup by any such partition.
 */
public final class KeyLocator implements PostOwners {

    private final KafkaStreams streams;
    private final HostInfo self;
    private final AssignmentEpoch epoch;
    private volatile Owners owners;

    /**
     * @param epoch must hear every state change of {@code streams}; until it hears RUNNING, every lookup asks Kafka
     *              Streams
     */
    KeyLocator(KafkaStreams streams, HostInfo self, AssignmentEpoch epoch) {
        this.streams = streams;
        this.self = self;
        this.epoch = epoch;
    }

    /** Where a post's counts live, right now. */
    public sealed interface Owner permits Local, Remote, Unavailable {
    }

    /**
     * This instance runs the active task for the post's partition; {@code standbys} keep standby copies of it, to
     * read while the active copy here is being restored.
     */
    public record Local(int partition, List<HostInfo> standbys) implements Owner {
        public Local {
            standbys = List.copyOf(standbys);
        }

        public Local(int partition) {
            this(partition, List.of());
        }
    }

    /** Another instance runs it; {@code standbyHere} when this instance keeps a standby copy to fail over to. */
    public record Remote(HostInfo host, int partition, boolean standbyHere) implements Owner {
    }

    /** Kafka Streams is rebalancing or starting: no instance can answer for the post yet. */
    public record Unavailable() implements Owner {
    }

    /** The owner of every partition at one epoch. */
    private record Owners(long epoch, Owner[] byPartition) {
    }

    @Override
    public Owner locate(long postId) {
        Owners known = current();
        if (known != null) {
            return known.byPartition()[PostKeys.partition(postId, known.byPartition().length)];
        }
        return askOrLastKnown(() -> streams.queryMetadataForKey(StoreNames.COUNTS, PostKeys.key(postId), PostKeys.SERDE.serializer()),
                owners -> owners[PostKeys.partition(postId, owners.length)]);
    }

    /** A user's like lives on the partition of the post and user, in the same sub-topology as the counts. */
    @Override
    public Owner locateLike(long postId, long userId) {
        Owners known = current();
        if (known != null) {
            return known.byPartition()[PostKeys.partition(postId, userId, known.byPartition().length)];
        }
        StreamPartitioner<String, Void> byPostAndUser = (topic, key, value, partitions) ->
                Optional.of(Set.of(PostKeys.partition(postId, userId, partitions)));
        return askOrLastKnown(() -> streams.queryMetadataForKey(StoreNames.LIKERS, PostKeys.key(postId), byPostAndUser),
                owners -> owners[PostKeys.partition(postId, userId, owners.length)]);
    }

    @Override
    public Owner ownerOf(int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("no partition " + partition);
        }
        Owners known = current();
        if (known != null) {
            // A partition past the topic's end: the topic grew, and the rebalance that follows will tell its owner.
            return partition < known.byPartition().length ? known.byPartition()[partition] : new Unavailable();
        }
        return askOrLastKnown(() -> metadataOf(partition),
                owners -> partition < owners.length ? owners[partition] : new Unavailable());
    }

    /**
     * Kafka Streams' answer, asked while it is not RUNNING; where it has none (a rebalance under way, a broker away,
     * closing), the owners of the last RUNNING period: most partitions have not moved, and a read sent to an
     * instance that no longer has its partition answers 503 there (a store that is not here, or a read that would
     * travel twice), never a wrong count. Without it, every read of every instance answered 503 for as long as a rebalance lasted (all of a
     * broker's failover in one chaos run, when both processors rebalanced at once). Unavailable before the first
     * RUNNING period.
     */
    private Owner askOrLastKnown(Supplier<KeyQueryMetadata> ask, Function<Owner[], Owner> pick) {
        Owner asked;
        try {
            asked = owner(ask.get());
        } catch (IllegalStateException | StreamsNotStartedException notRunningOrNotStartedYet) {
            // Not started yet is not an IllegalStateException: a restarted instance serves HTTP a moment before
            // KafkaStreams.start(), and reads that reached it then answered 500 (a chaos run's restarted processor).
            asked = new Unavailable();
        }
        Owners last = owners;
        return asked instanceof Unavailable && last != null ? pick.apply(last.byPartition()) : asked;
    }

    /** The owners of this epoch: those kept, or asked now; null while Kafka Streams is not RUNNING. */
    private Owners current() {
        long now = epoch.current();
        if (now == AssignmentEpoch.NOT_RUNNING) {
            return null;
        }
        Owners known = owners;
        if (known != null && known.epoch() == now) {
            return known;
        }
        try {
            Owners asked = ask(now);
            owners = asked; // several readers may ask at once at the start of an epoch; each gets the same answer
            return asked;
        } catch (IllegalStateException | IllegalArgumentException changedMeanwhile) {
            return null;
        }
    }

    private Owners ask(long atEpoch) {
        int[] partitions = new int[1];
        KeyQueryMetadata first = streams.queryMetadataForKey(StoreNames.COUNTS, "", (topic, key, value, count) -> {
            partitions[0] = count;
            return Optional.of(Set.of(0));
        });
        if (partitions[0] == 0 || first == null || KeyQueryMetadata.NOT_AVAILABLE.equals(first)) {
            throw new IllegalStateException("no assignment yet");
        }
        Owner[] byPartition = new Owner[partitions[0]];
        byPartition[0] = owner(first);
        for (int partition = 1; partition < byPartition.length; partition++) {
            byPartition[partition] = owner(metadataOf(partition));
        }
        return new Owners(atEpoch, byPartition);
    }

    private KeyQueryMetadata metadataOf(int partition) {
        StreamPartitioner<String, Object> fixed = (topic, key, value, count) -> Optional.of(Set.of(partition));
        return streams.queryMetadataForKey(StoreNames.COUNTS, "", fixed);
    }

    private Owner owner(KeyQueryMetadata metadata) {
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)
                || HostInfo.unavailable().equals(metadata.activeHost())) {
            return new Unavailable();
        }
        if (self.equals(metadata.activeHost())) {
            return new Local(metadata.partition(), metadata.standbyHosts().stream().filter(host -> !self.equals(host)).toList());
        }
        return new Remote(metadata.activeHost(), metadata.partition(), metadata.standbyHosts().contains(self));
    }
}
