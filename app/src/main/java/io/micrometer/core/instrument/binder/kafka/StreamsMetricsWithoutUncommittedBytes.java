package io.micrometer.core.instrument.binder.kafka;

import io.micrometer.core.instrument.Tag;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Micrometer's {@link KafkaStreamsMetrics}, less Kafka Streams' {@value #UNCOMMITTED_BYTES} gauges.
 *
 * <p>Kafka Streams 4.4.0 registers that gauge for every store; with transactional state stores
 * ({@code TALLY_TRANSACTIONAL_STATE_STORES}) it reads the store's RocksDB {@code WriteBatch} from whichever
 * thread asks, while the stream thread closes and replaces that batch at every commit. Micrometer's binder asks for
 * every metric's value when it looks for new metrics (every few seconds), and a processor under {@code ./tally
 * chaos} died of it with SIGSEGV in {@code WriteBatch.getDataSize} on the metrics thread. Nothing else differs from
 * {@link KafkaStreamsMetrics}; this class lives in Micrometer's package only to reach {@link KafkaMetrics}'
 * constructor that takes the metrics supplier, which Micrometer keeps package-private.
 */
public final class StreamsMetricsWithoutUncommittedBytes extends KafkaMetrics {

    static final String UNCOMMITTED_BYTES = "uncommitted-bytes";

    public StreamsMetricsWithoutUncommittedBytes(KafkaStreams streams, Iterable<Tag> tags, ScheduledExecutorService scheduler,
                                                 Duration refreshInterval) {
        super(() -> withoutUncommittedBytes(streams.metrics()), tags, scheduler, refreshInterval);
    }

    static Map<MetricName, ? extends Metric> withoutUncommittedBytes(Map<MetricName, ? extends Metric> metrics) {
        return metrics.entrySet().stream().filter(entry -> !UNCOMMITTED_BYTES.equals(entry.getKey().name()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
