package dev.tally.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
 *
 * <p>{@link #startSecured} starts it as a secured cluster is run: one SASL_PLAINTEXT listener for clients (SCRAM-SHA-512
 * for the users an operator creates with {@code Admin.alterUserScramCredentials}, PLAIN for the broker's own
 * identity, which must work before any SCRAM credential exists), the controller listener on SASL PLAIN as well, and
 * the {@code StandardAuthorizer} with the broker as its only super user: every other principal can do exactly what
 * its ACLs allow and nothing else.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Map<String, String> superUserSettings;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrapServers, Map<String, String> superUserSettings) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.superUserSettings = superUserSettings;
    }

    /** The broker's own identity on a secured cluster: its only super user. */
    public record SuperUser(String name, String password) {

        /** What a client needs to connect as this user: {@code TALLY_KAFKA_CLIENT_*} values without the prefix. */
        public Map<String, String> clientSettings() {
            return Map.of(
                    "security.protocol", "SASL_PLAINTEXT",
                    "sasl.mechanism", "PLAIN",
                    "sasl.jaas.config", plainLogin(false));
        }

        private String plainLogin(boolean server) {
            return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + name
                    + "\" password=\"" + password + "\"" + (server ? " user_" + name + "=\"" + password + "\"" : "") + ";";
        }
    }

    public static EmbeddedKafka start(Path logDir, int port, int controllerPort) {
        return start(BrokerSettings.singleNode(logDir, port, controllerPort));
    }

    /** A broker that authenticates every connection and authorizes every request (see the class comment). */
    public static EmbeddedKafka startSecured(Path logDir, int port, int controllerPort, SuperUser superUser) {
        return start(BrokerSettings.singleNode(logDir, port, controllerPort), superUser);
    }

    /**
     * Formats the node's log directory unless it holds a node already, starts it and waits until it answers. A node
     * of a larger quorum answers once a majority of the voters runs.
     */
    public static EmbeddedKafka start(BrokerSettings settings) {
        return start(settings, null);
    }

    private static EmbeddedKafka start(BrokerSettings settings, SuperUser superUser) {
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
        Map<String, Object> config = new HashMap<>(settings.kafkaConfig());
        if (superUser != null) {
            config.putAll(securedConfig(settings.port(), settings.controllerPort(), superUser));
        }
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config), Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka = new EmbeddedKafka(server, settings.bootstrapServers(),
                superUser == null ? Map.of() : superUser.clientSettings());
        kafka.awaitReady(Duration.ofSeconds(120));
        return kafka;
    }

    private static Map<String, Object> securedConfig(int port, int controllerPort, SuperUser superUser) {
        Map<String, Object> props = new HashMap<>();
        props.put("listeners", "SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + port);
        props.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        props.put("inter.broker.listener.name", "SASL_PLAINTEXT");
        props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN");
        props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.controller.plain.sasl.jaas.config", superUser.plainLogin(true));
        props.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", superUser.plainLogin(true));
        props.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:" + superUser.name());
        props.put("allow.everyone.if.no.acl.found", "false");
        return props;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(adminSettings())) {
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

    /** Settings for an admin client of this broker: as its super user when it is secured. */
    public Map<String, Object> adminSettings() {
        Map<String, Object> settings = new HashMap<>(superUserSettings);
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return settings;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
