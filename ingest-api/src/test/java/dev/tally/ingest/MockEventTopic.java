package dev.tally.ingest;

import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.JsonSerde;
import dev.tally.schemas.PostKeys;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;

/** A MockProducer that knows the event topic's partitions, as a connected producer learns them from the cluster. */
final class MockEventTopic {

    static final String TOPIC = "counter-events";
    static final int PARTITIONS = 12;
    static final CounterCatalog COUNTERS = CounterCatalog.defaults();

    private MockEventTopic() {
    }

    static MockProducer<String, CounterEvent> producer(boolean autoComplete) {
        Node broker = new Node(0, "127.0.0.1", 9092);
        List<PartitionInfo> partitions = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new PartitionInfo(TOPIC, p, broker, new Node[] {broker}, new Node[] {broker})).toList();
        Cluster cluster = new Cluster("test", List.of(broker), partitions, Set.of(), Set.of());
        return new MockProducer<>(cluster, autoComplete, null, PostKeys.SERDE.serializer(), new JsonSerde<>(CounterEvent.class));
    }
}
