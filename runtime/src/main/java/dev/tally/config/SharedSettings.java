package dev.tally.config;

import dev.tally.kafka.KafkaClients;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.TopicNames;

/**
 * The settings every service of one tally deployment must agree on, read once per process and handed to each
 * service's own settings.
 *
 * @param kafka             how every Kafka client connects
 * @param topics            the topics, with the deployment's prefix ({@code TALLY_TOPIC_PREFIX})
 * @param counters          the counters and their kinds ({@code TALLY_COUNTERS})
 * @param replicationFactor of every topic tally creates, its own and Kafka Streams' ({@code TALLY_REPLICATION_FACTOR})
 */
public record SharedSettings(KafkaClients kafka, TopicNames topics, CounterCatalog counters, short replicationFactor) {

    public static SharedSettings fromEnv(Env env, String bootstrapServers) {
        return new SharedSettings(
                KafkaClients.fromEnv(env, bootstrapServers),
                TopicNames.withPrefix(env.string("TALLY_TOPIC_PREFIX", "")),
                CounterCatalog.parse(env.string("TALLY_COUNTERS", CounterCatalog.DEFAULT_SPEC)),
                (short) env.integer("TALLY_REPLICATION_FACTOR", 1));
    }
}
