package dev.tally.query;

import dev.tally.http.ApiException;
import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterState;
import dev.tally.schemas.LikeKey;
import dev.tally.schemas.LikeRegister;
import dev.tally.schemas.RegionCounterKey;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import dev.tally.schemas.StoreNames;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads this instance's copy of the processor's stores, one partition at a time. A store that is migrating or
 * restoring throws {@link InvalidStateStoreException}: it is retried briefly, then the read answers 503 rather
 * than a count that may be wrong.
 */
public final class LocalStores implements CountStores {

    private static final int ATTEMPTS = 3;
    private static final long BACKOFF_MILLIS = 20;

    private final KafkaStreams streams;

    public LocalStores(KafkaStreams streams) {
        this.streams = streams;
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

    private <K, V, R> R read(String storeName, int partition, boolean stale, Function<ReadOnlyKeyValueStore<K, V>, R> query) {
        for (int attempt = 1; ; attempt++) {
            try {
                StoreQueryParameters<ReadOnlyKeyValueStore<K, V>> parameters = StoreQueryParameters
                        .fromNameAndType(storeName, QueryableStoreTypes.<K, V>keyValueStore())
                        .withPartition(partition);
                return query.apply(streams.store(stale ? parameters.enableStaleStores() : parameters));
            } catch (InvalidStateStoreException e) {
                if (attempt == ATTEMPTS) {
                    throw ApiException.unavailable("counts of partition " + partition + " are moving between instances; retry");
                }
                sleep();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(BACKOFF_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while waiting for a store");
        }
    }
}
