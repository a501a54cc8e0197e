package dev.tally.app;

import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole tally process as {@code ./tally} starts it: the embedded broker when no cluster is configured and the
 * command may embed one, the topics, then the node. Close stops the node before the broker.
 */
public final class TallyApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TallyApp.class);

    private final EmbeddedKafka kafka;
    private final TallyNode node;
    private final String bootstrapServers;

    private TallyApp(EmbeddedKafka kafka, TallyNode node, String bootstrapServers) {
        this.kafka = kafka;
        this.node = node;
        this.bootstrapServers = bootstrapServers;
    }

    public static TallyApp start(TallySettings settings, Set<Role> roles, boolean mayEmbedKafka) {
        EmbeddedKafka kafka = null;
        String bootstrap;
        if (settings.kafkaBootstrapServers().isPresent()) {
            bootstrap = settings.kafkaBootstrapServers().get();
        } else if (mayEmbedKafka) {
            kafka = startEmbedded(settings);
            bootstrap = kafka.bootstrapServers();
            LOG.info("embedded Kafka broker on {}", bootstrap);
        } else {
            throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS must be set for this command");
        }
        try {
            TopicSetup.ensure(bootstrap, settings.topics(), settings.partitions(), settings.replicationFactor(),
                    settings.eventRetentionMillis());
            TallyNode node = TallyNode.start(settings, bootstrap, roles);
            LOG.info("tally {} serving on http://{}:{}", roles, settings.advertisedHost(), node.port());
            return new TallyApp(kafka, node, bootstrap);
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            }
            throw e;
        }
    }

    static EmbeddedKafka startEmbedded(TallySettings settings) {
        return EmbeddedKafka.start(settings.dataDir().resolve("kafka"), settings.embeddedKafkaPort(),
                settings.embeddedControllerPort());
    }

    public TallyNode node() {
        return node;
    }

    public int port() {
        return node.port();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        node.close();
        if (kafka != null) {
            kafka.close();
        }
    }
}
