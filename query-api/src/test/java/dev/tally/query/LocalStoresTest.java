package dev.tally.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.http.ApiException;
import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterState;
import dev.tally.schemas.StoreNames;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoresTest {

    private static final CounterKey KEY = new CounterKey(42, "likes");

    @TempDir
    Path stateDir;

    private AssignedStreams streams;
    private final AssignmentEpoch epoch = new AssignmentEpoch();
    private final Map<Integer, CountsPartition> partitions = new HashMap<>();
    private LocalStores stores;
    private boolean standbyCaughtUp = true;

    @BeforeEach
    void start() {
        streams = new AssignedStreams(stateDir, new HostInfo("self", 8080), new HostInfo("other", 8080));
        streams.stores((name, partition) -> name.equals(StoreNames.COUNTS) ? partitions.get(partition) : null);
        stores = new LocalStores(streams, epoch, (store, partition) -> standbyCaughtUp);
        partitions.put(3, new CountsPartition().with(KEY, 7));
    }

    @AfterEach
    void close() {
        streams.close();
    }

    @Test
    void shouldFindAStoreOncePerEpochWhileRunning() {
        epoch.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        for (int read = 0; read < 100; read++) {
            assertThat(stores.count(3, KEY, false).count()).isEqualTo(7);
        }
        assertThat(streams.storeLookups).isEqualTo(1);

        epoch.onChange(KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING);
        partitions.put(3, new CountsPartition().with(KEY, 8));
        assertThat(stores.count(3, KEY, false).count()).as("the store after the rebalance").isEqualTo(8);
        assertThat(stores.count(3, KEY, false).count()).isEqualTo(8);
        assertThat(streams.storeLookups).as("a lookup per read while rebalancing").isEqualTo(3);

        epoch.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        assertThat(stores.count(3, KEY, false).count()).isEqualTo(8);
        assertThat(stores.count(3, KEY, true)).as("a standby read keeps a handle of its own").isNotNull();
        assertThat(stores.count(3, KEY, false).count()).isEqualTo(8);
        assertThat(streams.storeLookups).isEqualTo(5);
    }

    @Test
    void shouldLookAgainAtOnceWhenAKeptStoreWasClosedAndAnswer503WithoutWaitingWhenItIsGone() {
        epoch.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        assertThat(stores.count(3, KEY, false).count()).isEqualTo(7);

        partitions.get(3).closed = true; // the task was closed and opened again: a new store object, same epoch
        partitions.put(3, new CountsPartition().with(KEY, 9));
        assertThat(stores.count(3, KEY, false).count()).isEqualTo(9);
        assertThat(streams.storeLookups).isEqualTo(2);

        partitions.get(3).closed = true;
        partitions.remove(3);
        assertThatThrownBy(() -> stores.count(3, KEY, false))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.retryAfterSeconds()).isPositive();
                });
        assertThat(streams.storeLookups).as("one lookup more, no retries").isEqualTo(3);
    }

    @Test
    void shouldAnswer503ForAPartitionThatIsNotHere() {
        assertThatThrownBy(() -> stores.count(4, KEY, false))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
        epoch.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        assertThatThrownBy(() -> stores.count(4, KEY, false))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
    }

    @Test
    void shouldRefuseAStandbyReadWithA503UntilTheCopyHasCaughtUpButNeverAnActiveRead() {
        epoch.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        standbyCaughtUp = false;
        assertThatThrownBy(() -> stores.count(3, KEY, true))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.getMessage()).contains("standby copy of partition 3");
                });
        assertThat(stores.count(3, KEY, false).count()).as("the active copy").isEqualTo(7);

        standbyCaughtUp = true;
        assertThat(stores.count(3, KEY, true).count()).isEqualTo(7);
    }

    @Test
    void shouldReadTheViewOfTheConfiguredIsolationLevel() {
        CountsPartition partition = partitions.get(3);
        partition.committed = new CountsPartition().with(KEY, 6); // 7 counted, 6 of it committed
        epoch.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        assertThat(stores.count(3, KEY, false).count()).as("read_uncommitted, Kafka's default").isEqualTo(7);

        streams.isolation(IsolationLevel.READ_COMMITTED);
        epoch.onChange(KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING);
        epoch.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        assertThat(stores.count(3, KEY, false).count()).as("read_committed").isEqualTo(6);
        assertThat(stores.count(3, KEY, true).count()).as("a standby copy alike").isEqualTo(6);
    }

    /**
     * One partition of the counts store: get() throws as Kafka Streams' stores do once closed; its read_committed
     * view is {@code committed} when set.
     */
    private static final class CountsPartition implements ReadOnlyKeyValueStore<CounterKey, CounterState> {

        private final Map<CounterKey, CounterState> counts = new HashMap<>();
        boolean closed;
        CountsPartition committed;

        @Override
        public ReadOnlyKeyValueStore<CounterKey, CounterState> readOnly(IsolationLevel isolation) {
            return isolation == IsolationLevel.READ_COMMITTED && committed != null ? committed : this;
        }

        CountsPartition with(CounterKey key, long count) {
            counts.put(key, new CounterState(count, 1_800_000_000_000L));
            return this;
        }

        @Override
        public CounterState get(CounterKey key) {
            if (closed) {
                throw new InvalidStateStoreException("Store counts is currently closed.");
            }
            return counts.get(key);
        }

        @Override
        public KeyValueIterator<CounterKey, CounterState> range(CounterKey from, CounterKey to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KeyValueIterator<CounterKey, CounterState> all() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long approximateNumEntries() {
            return counts.size();
        }
    }
}
