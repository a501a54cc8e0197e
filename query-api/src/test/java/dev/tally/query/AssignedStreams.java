package dev.tally.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.PostKeys;
import dev.tally.schemas.StoreNames;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

/**
 * Kafka Streams with an assignment and stores set by the test, never started. Its metadata lookups answer from the
 * assignment, with the default partitioner (murmur2 of the key) for lookups by key; its store lookups hand the
 * store type what the test's {@code stores} function gives for a store name and partition (or throw
 * {@link InvalidStateStoreException} for null, as for a store that is not here). Both count themselves.
 */
final class AssignedStreams extends KafkaStreams {

    static final int PARTITIONS = 6;

    private final HostInfo self;
    private final HostInfo other;
    private final Map<Integer, KeyQueryMetadata> assignment = new HashMap<>();
    private BiFunction<String, Integer, Object> stores = (name, partition) -> null;
    private IsolationLevel isolation = IsolationLevel.READ_UNCOMMITTED;
    private boolean started = true;
    long lookups;
    long storeLookups;

    AssignedStreams(Path stateDir, HostInfo self, HostInfo other) {
        super(topology(), properties(stateDir));
        this.self = self;
        this.other = other;
    }

    void evenHereOddThereWithStandbyHere() {
        for (int partition = 0; partition < PARTITIONS; partition++) {
            assignment.put(partition, partition % 2 == 0
                    ? new KeyQueryMetadata(self, Set.of(other), partition)
                    : new KeyQueryMetadata(other, Set.of(self), partition));
        }
    }

    /** Created, not started yet: Kafka Streams refuses metadata lookups, as between a restart's HTTP and its start(). */
    void notStarted() {
        started = false;
    }

    /** A rebalance under way, or the brokers away: Kafka Streams knows no owner. */
    void noAssignment() {
        assignment.clear();
    }

    void everyPartitionHere() {
        for (int partition = 0; partition < PARTITIONS; partition++) {
            assignment.put(partition, new KeyQueryMetadata(self, Set.of(), partition));
        }
    }

    void stores(BiFunction<String, Integer, Object> stores) {
        this.stores = stores;
    }

    /** What {@code default.interactive.query.isolation.level} would say. */
    void isolation(IsolationLevel isolation) {
        this.isolation = isolation;
    }

    @Override
    public <K> KeyQueryMetadata queryMetadataForKey(String storeName, K key, Serializer<K> keySerializer) {
        assertThat(storeName).isEqualTo(StoreNames.COUNTS);
        return lookup(PostKeys.partition(Long.parseLong((String) key), PARTITIONS));
    }

    @Override
    public <K> KeyQueryMetadata queryMetadataForKey(String storeName, K key, StreamPartitioner<? super K, ?> partitioner) {
        assertThat(storeName).isIn(StoreNames.COUNTS, StoreNames.LIKERS);
        Optional<Set<Integer>> partitions = partitioner.partitions("events", key, null, PARTITIONS);
        return lookup(partitions.orElseThrow().iterator().next());
    }

    private KeyQueryMetadata lookup(int partition) {
        lookups++;
        if (!started) {
            throw new StreamsNotStartedException("KafkaStreams has not been started, you can retry after calling start()");
        }
        return assignment.isEmpty() ? KeyQueryMetadata.NOT_AVAILABLE : assignment.get(partition);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T store(StoreQueryParameters<T> parameters) {
        storeLookups++;
        Object store = stores.apply(parameters.storeName(), parameters.partition());
        StateStoreProvider provider = new StateStoreProvider() {
            @Override
            public <S> List<S> stores(String storeName, org.apache.kafka.streams.state.QueryableStoreType<S> type) {
                if (store == null) {
                    throw new InvalidStateStoreException(storeName + " of partition " + parameters.partition() + " is not here");
                }
                return List.of((S) store);
            }

            @Override
            public IsolationLevel defaultIsolationLevel() {
                return isolation;
            }
        };
        return parameters.queryableStoreType().create(provider, parameters.storeName());
    }

    private static Topology topology() {
        Topology topology = new Topology();
        topology.addSource("events", "events");
        return topology;
    }

    private static Properties properties(Path stateDir) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "query-api-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        properties.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        return properties;
    }
}
