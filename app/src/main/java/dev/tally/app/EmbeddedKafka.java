package dev.tally.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka cluster (broker and KRaft controller in one) inside this JVM, for {@code ./tally run}
 * and the tests. Its log directory is formatted on first start and reused after, so counts survive restarts.
 * Listens on 127.0.0.1 only. Its configuration is {@link BrokerSettings#kafkaConfig()}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    public static EmbeddedKafka start(Path logDir, int port, int controllerPort) {
        return start(BrokerSettings.singleNode(logDir, port, controllerPort));
    }

    /**
     * Formats the node's log directory unless it holds a node already, starts it and waits until it answers. A node
     * of a larger quorum answers once a majority of the voters runs.
     */
    public static EmbeddedKafka start(BrokerSettings settings) {
        Path logDir = settings.logDir();
        try {
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                new Formatter()
                        .setNodeId(settings.nodeId())
                        .setClusterId(settings.clusterId())
                        .setDirectories(List.of(logDir.toString()))
                        .setMetadataLogDirectory(logDir.toString())
                        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                        .setControllerListenerName(BrokerSettings.CONTROLLER)
                        .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                        .run();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka's log directory " + logDir, e);
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(Map.<String, Object>copyOf(settings.kafkaConfig())),
                Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka = new EmbeddedKafka(server, settings.bootstrapServers());
        kafka.awaitReady(Duration.ofSeconds(120));
        return kafka;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get().isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("embedded Kafka did not become ready within " + timeout, e);
                    }
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
