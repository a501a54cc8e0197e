package io.micrometer.core.instrument.binder.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.junit.jupiter.api.Test;

class StreamsMetricsWithoutUncommittedBytesTest {

    @Test
    void shouldHandOnEveryMetricButTheUncommittedBytesGaugesWithoutAskingTheirValues() {
        try (Metrics metrics = new Metrics()) {
            MetricName uncommitted = metrics.metricName("uncommitted-bytes", "stream-state-metrics", Map.of("rocksdb-state-id", "counts"));
            MetricName numKeys = metrics.metricName("num-keys", "stream-state-metrics", Map.of("rocksdb-state-id", "counts"));
            metrics.addMetric(uncommitted, (config, now) -> {
                throw new AssertionError("the gauge that reads RocksDB's write batch was asked for its value");
            });
            metrics.addMetric(numKeys, (config, now) -> 42L);

            Map<MetricName, ? extends Metric> handedOn = StreamsMetricsWithoutUncommittedBytes.withoutUncommittedBytes(metrics.metrics());

            assertThat(handedOn).doesNotContainKey(uncommitted).containsKey(numKeys);
            assertThat(handedOn.get(numKeys).metricValue()).isEqualTo(42.0);
            assertThat(handedOn.size()).isEqualTo(metrics.metrics().size() - 1);
        }
    }
}
