package dev.tally.app;

import java.lang.management.ManagementFactory;
import java.time.Duration;
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
    private final TallySettings settings;

    private TallyApp(EmbeddedKafka kafka, TallyNode node, TallySettings settings) {
        this.kafka = kafka;
        this.node = node;
        this.settings = settings;
    }

    public static TallyApp start(TallySettings configured, Set<Role> roles, boolean mayEmbedKafka) {
        EmbeddedKafka kafka = null;
        TallySettings settings = configured;
        if (configured.kafkaBootstrapServers().isEmpty()) {
            if (!mayEmbedKafka) {
                throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS must be set for this command");
            }
            kafka = startEmbedded(configured);
            settings = configured.withBootstrapServers(kafka.bootstrapServers());
            LOG.info("embedded Kafka broker on {}", kafka.bootstrapServers());
        }
        try {
            TopicSetup.ensure(settings.shared(), settings.partitions(), settings.eventRetentionMillis());
            TallyNode node = TallyNode.start(settings, roles);
            // The JVM's age says how much of a slow start was the machine: on two cores shared by seven JVMs a
            // restarted processor spent most of its first minute loading classes.
            LOG.info("tally {} serving on http://{}:{} ({} ms after the JVM started, {} ms of its CPU)", roles,
                    settings.advertisedHost(), node.port(), ManagementFactory.getRuntimeMXBean().getUptime(),
                    ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L));
            return new TallyApp(kafka, node, settings);
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

    /** The settings it runs with, connected to its cluster. */
    public TallySettings settings() {
        return settings;
    }

    public String bootstrapServers() {
        return settings.kafka().bootstrapServers();
    }

    @Override
    public void close() {
        node.close();
        if (kafka != null) {
            kafka.close();
        }
    }
}
