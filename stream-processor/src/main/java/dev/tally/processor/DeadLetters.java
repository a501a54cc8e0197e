package dev.tally.processor;

import dev.tally.schemas.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a refused record of the event topic to the dead-letter topic: its key, value, timestamp and headers as
 * they were produced, plus the reason and its topic, partition and offset in {@link DeadLetterHeaders}. It goes
 * through the topology's {@value #SINK} sink, so it commits in the same transaction as the input offset: a crash
 * never loses a dead letter nor writes one twice. Every refusal is logged in one line, without a stack trace (it
 * is bad input, not a fault of tally), and counted in the Kafka Streams metric {@value #METRIC} of the group
 * {@value #METRIC_GROUP}, which {@code /metrics} shows as {@code kafka_stream_tally_refused_events_total}.
 */
final class DeadLetters {

    static final String SINK = "dead-letters";
    static final String METRIC_GROUP = "stream-tally-metrics";
    static final String METRIC = "refused-events-total";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final ProcessorContext<byte[], byte[]> context;
    private final Sensor refused;

    DeadLetters(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        // One sensor per stream thread (Kafka Streams names it by thread): every task of the thread adds to it.
        this.refused = context.metrics().addRateTotalSensor("tally", "dead-letters", "refused-events",
                Sensor.RecordingLevel.INFO);
    }

    void refuse(Record<byte[], byte[]> record, String reason) {
        RecordMetadata source = context.recordMetadata().orElseThrow();
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(DeadLetterHeaders.REASON, utf8(reason));
        headers.add(DeadLetterHeaders.TOPIC, utf8(source.topic()));
        headers.add(DeadLetterHeaders.PARTITION, utf8(Integer.toString(source.partition())));
        headers.add(DeadLetterHeaders.OFFSET, utf8(Long.toString(source.offset())));
        context.forward(record.withHeaders(headers), SINK);
        refused.record();
        LOG.warn("refused {}-{}@{}: {}", source.topic(), source.partition(), source.offset(), reason);
    }

    /** Records refused so far by every stream thread of the instance whose metrics these are. */
    static long refusedTotal(Map<MetricName, ? extends Metric> metrics) {
        return metrics.entrySet().stream()
                .filter(entry -> entry.getKey().group().equals(METRIC_GROUP) && entry.getKey().name().equals(METRIC))
                .mapToLong(entry -> ((Number) entry.getValue().metricValue()).longValue())
                .sum();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
