package dev.tally.config;

import dev.tally.kafka.KafkaClients;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.TopicNames;

/**
 * The settings every service of one tally deployment must agree on, read once per process and handed to each
 * service's own settings.
 *
 * @param kafka             how every Kafka client connects
 * @param topics            the topics, with the deployment's prefix ({@code TALLY_TOPIC_PREFIX}), including the
 *                          mirrored event topics of the peer regions
 * @param counters          the counters and their kinds ({@code TALLY_COUNTERS})
 * @param replicationFactor of every topic tally creates, its own and Kafka Streams' ({@code TALLY_REPLICATION_FACTOR})
 * @param regions           this deployment's region and its peers ({@code TALLY_REGION}, {@code TALLY_PEER_REGIONS})
 */
public record SharedSettings(KafkaClients kafka, TopicNames topics, CounterCatalog counters, short replicationFactor,
                             Regions regions) {

    public SharedSettings {
        if (!topics.peerRegions().equals(regions.peers())) {
            throw new IllegalArgumentException("the topics' peer regions " + topics.peerRegions()
                    + " are not the deployment's " + regions.peers());
        }
    }

    /** A deployment on its own (no peer regions). */
    public SharedSettings(KafkaClients kafka, TopicNames topics, CounterCatalog counters, short replicationFactor) {
        this(kafka, topics, counters, replicationFactor, Regions.single());
    }

    public static SharedSettings fromEnv(Env env, String bootstrapServers) {
        Regions regions = Regions.fromEnv(env);
        return new SharedSettings(
                KafkaClients.fromEnv(env, bootstrapServers),
                TopicNames.withPrefix(env.string("TALLY_TOPIC_PREFIX", "")).withPeerRegions(regions.peers()),
                CounterCatalog.parse(env.string("TALLY_COUNTERS", CounterCatalog.DEFAULT_SPEC)),
                (short) env.integer("TALLY_REPLICATION_FACTOR", 1),
                regions);
    }

    /** The same deployment reached through other client settings (the embedded broker once it has started). */
    public SharedSettings withKafka(KafkaClients other) {
        return new SharedSettings(other, topics, counters, replicationFactor, regions);
    }
}
