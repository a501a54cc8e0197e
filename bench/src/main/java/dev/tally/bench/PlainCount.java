package dev.tally.bench;

import dev.tally.processor.ProcessorSettings;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;

/**
 * The baseline of target T2: Kafka Streams' textbook count, {@code groupByKey().count()} of the event topic by post
 * id, with the same Streams settings as tally's processor (exactly_once_v2, commit interval, cache, threads) and
 * values left unparsed. tally's topology does more per event (JSON, three stores, one output record); this is what
 * Kafka Streams costs before any of that.
 */
final class PlainCount {

    private PlainCount() {
    }

    static KafkaStreams create(ProcessorSettings like, String applicationId) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(like.topics().events(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .groupByKey(Grouped.with(Serdes.String(), Serdes.ByteArray()))
                .count(Materialized.as("plain-counts"));
        Properties props = like.toProperties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        return new KafkaStreams(builder.build(props), props);
    }
}
