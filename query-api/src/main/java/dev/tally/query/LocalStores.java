package dev.tally.query;

import dev.tally.http.ApiException;
import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterState;
import dev.tally.schemas.LikeKey;
import dev.tally.schemas.LikeRegister;
import dev.tally.schemas.RegionCounterKey;
import dev.tally.schemas.StoreNames;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

/**
 * Reads this instance's copy of the processor's stores, one partition at a time.
 *
 * <p>The store object of a partition is found once per {@link AssignmentEpoch} and kept: the handle that
 * {@code streams.store(...)} returns looks the store up again on every {@code get}, through the stream threads'
 * task registries and their locks, which cost more than the RocksDB read itself. While Kafka Streams is not RUNNING
 * nothing is kept and every read looks its store up.
 *
 * <p>A standby copy ({@code stale}) is read only once {@link StandbyCopies} has found it holding every committed
 * change: one that a rebalance has just made anew would answer counts older than the owner already showed.
 *
 * <p>A store that is migrating, restoring or closed throws {@link InvalidStateStoreException}: a kept handle is
 * dropped and the store looked up once more at once; if that fails too, the read answers 503 with Retry-After rather
 * than a count that may be wrong. It does not wait and retry: a store comes back after a rebalance or a restore,
 * seconds rather than milliseconds, and a request thread asleep meanwhile is one fewer for every other request.
 */
public final class LocalStores implements CountStores {

    private final KafkaStreams streams;
    private final AssignmentEpoch epoch;
    private final StandbyCopies standbys;
    private volatile Handles handles = new Handles(AssignmentEpoch.NOT_RUNNING);

    LocalStores(KafkaStreams streams, AssignmentEpoch epoch, StandbyCopies standbys) {
        this.streams = streams;
        this.epoch = epoch;
        this.standbys = standbys;
    }

    @Override
    public CounterState count(int partition, CounterKey key, boolean stale) {
        return read(StoreNames.COUNTS, partition, stale, (ReadOnlyKeyValueStore<CounterKey, CounterState> store) -> store.get(key));
    }

    @Override
    public boolean likes(int partition, LikeKey key, boolean stale) {
        return read(StoreNames.LIKERS, partition, stale, (ReadOnlyKeyValueStore<LikeKey, LikeRegister> store) -> {
            LikeRegister register = store.get(key);
            return register != null && register.liked();
        });
    }

    @Override
    public Map<String, Map<String, Long>> regions(int partition, long postId, boolean stale) {
        return read(StoreNames.REGION_COUNTS, partition, stale, (ReadOnlyKeyValueStore<RegionCounterKey, CounterState> store) -> {
            Map<String, Map<String, Long>> byRegion = new TreeMap<>();
            try (KeyValueIterator<RegionCounterKey, CounterState> entries = store.prefixScan(postId, new LongSerializer())) {
                entries.forEachRemaining(entry -> byRegion.computeIfAbsent(entry.key.region(), region -> new TreeMap<>())
                        .put(entry.key.counter(), entry.value.count()));
            }
            return byRegion;
        });
    }

    /** The store objects found in one epoch, by store, partition and whether a standby copy is allowed. */
    private record Handles(long epoch, Map<Handle, ReadOnlyKeyValueStore<?, ?>> stores) {
        Handles(long epoch) {
            this(epoch, new ConcurrentHashMap<>());
        }
    }

    private record Handle(String store, int partition, boolean stale) {
    }

    @SuppressWarnings("unchecked")
    private <K, V, R> R read(String storeName, int partition, boolean stale, Function<ReadOnlyKeyValueStore<K, V>, R> query) {
        if (stale && !standbys.caughtUp(storeName, partition)) {
            throw ApiException.unavailable("the standby copy of partition " + partition
                    + " has not caught up with its changelog; retry");
        }
        long now = epoch.current();
        if (now == AssignmentEpoch.NOT_RUNNING) {
            return query.apply(lookUp(storeName, partition, stale));
        }
        Handles kept = handles;
        if (kept.epoch() != now) {
            kept = new Handles(now);
            handles = kept;
        }
        Handle handle = new Handle(storeName, partition, stale);
        ReadOnlyKeyValueStore<K, V> store = (ReadOnlyKeyValueStore<K, V>) kept.stores().get(handle);
        if (store != null) {
            try {
                return query.apply(store);
            } catch (InvalidStateStoreException closedSinceFound) {
                kept.stores().remove(handle, store);
            }
        }
        store = lookUp(storeName, partition, stale);
        R answer;
        try {
            answer = query.apply(store);
        } catch (InvalidStateStoreException closedSinceFound) {
            throw ApiException.unavailable("counts of partition " + partition + " are moving between instances; retry");
        }
        kept.stores().put(handle, store);
        return answer;
    }

    /** The store of one partition, now; 503 when this instance cannot read it. */
    private <K, V> ReadOnlyKeyValueStore<K, V> lookUp(String storeName, int partition, boolean stale) {
        StoreQueryParameters<ReadOnlyKeyValueStore<K, V>> parameters = StoreQueryParameters
                .fromNameAndType(storeName, new OnePartition<K, V>()).withPartition(partition);
        try {
            return streams.store(stale ? parameters.enableStaleStores() : parameters);
        } catch (InvalidStateStoreException | IllegalStateException movingOrNotRunning) {
            throw ApiException.unavailable("counts of partition " + partition + " are moving between instances; retry");
        }
    }

    /**
     * The store object of one partition itself, found when the handle is made. {@link QueryableStoreTypes#keyValueStore}
     * makes a handle that finds it again on every call. This is Kafka Streams' documented way to query a store of a
     * type of one's own ({@link StateStoreProvider} is part of {@link QueryableStoreType}'s contract).
     */
    private static final class OnePartition<K, V> implements QueryableStoreType<ReadOnlyKeyValueStore<K, V>> {

        private final QueryableStoreType<ReadOnlyKeyValueStore<K, V>> keyValue = QueryableStoreTypes.keyValueStore();

        @Override
        public boolean accepts(StateStore store) {
            return keyValue.accepts(store);
        }

        @Override
        public ReadOnlyKeyValueStore<K, V> create(StateStoreProvider provider, String storeName) {
            List<ReadOnlyKeyValueStore<K, V>> stores = provider.stores(storeName, this);
            if (stores.size() != 1) {
                throw new InvalidStateStoreException(stores.size() + " copies of " + storeName + " for one partition");
            }
            if (stores.get(0) instanceof TimestampedKeyValueStore) {
                // Kafka Streams would hand this type the store's values with their timestamps: a programming error.
                throw new IllegalArgumentException(storeName + " is a timestamped store: read it as one");
            }
            // The view at the configured isolation level (default.interactive.query.isolation.level), as Kafka
            // Streams' own handle reads it: under READ_COMMITTED it skips the record cache and the open
            // transaction, so a read never shows a count that a crash can take back.
            return stores.get(0).readOnly(provider.defaultIsolationLevel());
        }
    }
}
