package dev.tally.app;

import dev.tally.config.Env;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.Uuid;

/**
 * One KRaft node of tally's own (broker and controller in one process, {@code ./tally broker}), read from the
 * environment, and the Kafka configuration it runs with. One node alone is the embedded broker of
 * {@code ./tally run}; three with the same voters are the cluster of {@code ./tally cluster up 3}, configured as
 * docker-compose.yml configures its brokers (replication 3, {@code min.insync.replicas} 2).
 *
 * @param nodeId         {@code TALLY_NODE_ID}, this node's id among the voters
 * @param port           {@code TALLY_KAFKA_PORT}, the client listener on 127.0.0.1
 * @param controllerPort {@code TALLY_KAFKA_CONTROLLER_PORT}, the KRaft controller listener on 127.0.0.1
 * @param logDir         {@code TALLY_KAFKA_LOG_DIR}, default {@code $TALLY_DATA_DIR/kafka}
 * @param quorumVoters   {@code TALLY_CONTROLLER_QUORUM_VOTERS} ({@code 1@127.0.0.1:9093,2@...}), default this node alone
 * @param clusterId      {@code TALLY_CLUSTER_ID}, default derived from the voters, so nodes that agree on the voters
 *                       format their logs with the same cluster id without being told one
 */
public record BrokerSettings(int nodeId, int port, int controllerPort, Path logDir, String quorumVoters, String clusterId) {

    public static final String HOST = "127.0.0.1";
    static final String CONTROLLER = "CONTROLLER";

    public static BrokerSettings fromEnv(Env env) {
        int nodeId = env.integer("TALLY_NODE_ID", 1);
        int controllerPort = env.integer("TALLY_KAFKA_CONTROLLER_PORT", 9093);
        String voters = env.string("TALLY_CONTROLLER_QUORUM_VOTERS", nodeId + "@" + HOST + ":" + controllerPort);
        Path dataDir = Path.of(env.string("TALLY_DATA_DIR", "./data"));
        return new BrokerSettings(nodeId, env.integer("TALLY_KAFKA_PORT", 9092), controllerPort,
                Path.of(env.string("TALLY_KAFKA_LOG_DIR", dataDir.resolve("kafka").toString())),
                voters, env.string("TALLY_CLUSTER_ID", clusterIdOf(voters)));
    }

    /** A single node that is its own quorum: the embedded broker of {@code ./tally run} and of the tests. */
    public static BrokerSettings singleNode(Path logDir, int port, int controllerPort) {
        String voters = "1@" + HOST + ":" + controllerPort;
        return new BrokerSettings(1, port, controllerPort, logDir, voters, clusterIdOf(voters));
    }

    /** The cluster id as {@code kafka-storage.sh random-uuid} prints one, but the same for the same voters. */
    public static String clusterIdOf(String voters) {
        UUID uuid = UUID.nameUUIDFromBytes(voters.getBytes(StandardCharsets.UTF_8));
        return new Uuid(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits()).toString();
    }

    public int voters() {
        return quorumVoters.split(",").length;
    }

    /** Replicas of Kafka's internal topics and the default of others: every node, at most three. */
    public short replicationFactor() {
        return (short) Math.min(3, voters());
    }

    /** Writes with acks=all need this many replicas: two of three, so one node may be down. */
    public int minInsyncReplicas() {
        return Math.min(2, replicationFactor());
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /**
     * The node's Kafka configuration. The keys that decide durability and availability (roles, quorum, replication,
     * ISR, rebalance delay, auto-creation) are those docker-compose.yml sets on its brokers, with the same values
     * for three nodes: {@code DockerComposeTest} holds the two together.
     */
    public Map<String, String> kafkaConfig() {
        Map<String, String> props = new TreeMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(nodeId));
        props.put("controller.quorum.voters", quorumVoters);
        props.put("listeners", "PLAINTEXT://" + HOST + ":" + port + "," + CONTROLLER + "://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        String replicas = Short.toString(replicationFactor());
        String minIsr = Integer.toString(minInsyncReplicas());
        props.put("default.replication.factor", replicas);
        props.put("min.insync.replicas", minIsr);
        props.put("offsets.topic.replication.factor", replicas);
        props.put("transaction.state.log.replication.factor", replicas);
        props.put("transaction.state.log.min.isr", minIsr);
        props.put("share.coordinator.state.topic.replication.factor", replicas);
        props.put("share.coordinator.state.topic.min.isr", minIsr);
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        // Sized for a laptop, not for production: fewer internal partitions start and fail over sooner.
        props.put("offsets.topic.num.partitions", "6");
        props.put("transaction.state.log.num.partitions", "6");
        props.put("num.partitions", "1");
        if (voters() == 1) {
            // A node restarted after a crash registers anew, and its own controller refuses the new registration
            // until the dead one's session expires (9 s by default): most of what ./tally run took to answer after
            // kill -9. Alone in its quorum, its heartbeats never leave the process, so a short session costs nothing.
            props.put("broker.session.timeout.ms", "3000");
            props.put("broker.heartbeat.interval.ms", "750");
        }
        return props;
    }

    /** The ids of the voters, in the order given. */
    public int[] voterIds() {
        return Arrays.stream(quorumVoters.split(",")).mapToInt(voter -> Integer.parseInt(voter.substring(0, voter.indexOf('@'))))
                .toArray();
    }
}
