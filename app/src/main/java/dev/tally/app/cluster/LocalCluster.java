package dev.tally.app.cluster;

import dev.tally.app.BrokerSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

/**
 * A Kafka cluster of {@code size} KRaft nodes on 127.0.0.1, each a {@code ./tally broker} process of its own
 * (combined broker and controller, see {@link BrokerSettings}): node {@code i} listens on {@code firstPort + i - 1}
 * and its controller on {@code firstControllerPort + i - 1}, and keeps its log in {@code dir/broker-i}. With three
 * nodes every topic has three replicas and acks=all writes need two, so any one node may die.
 */
public final class LocalCluster implements AutoCloseable {

    /** Heap for one broker: enough for tally's topics, small enough for seven JVMs on a laptop. */
    public static final List<String> BROKER_JVM = List.of("-Xmx384m", "-XX:+UseSerialGC");

    private final Map<Integer, LocalProcess> brokers;
    private final Map<Integer, BrokerSettings> settings;

    private LocalCluster(Map<Integer, BrokerSettings> settings, Map<Integer, LocalProcess> brokers) {
        this.settings = settings;
        this.brokers = brokers;
    }

    /** Starts every node at once (a quorum forms only once most voters run) and returns when all serve. */
    public static LocalCluster start(Path dir, int size, int firstPort, int firstControllerPort, Duration timeout) {
        String voters = IntStream.rangeClosed(1, size)
                .mapToObj(id -> id + "@" + BrokerSettings.HOST + ":" + (firstControllerPort + id - 1))
                .collect(Collectors.joining(","));
        Map<Integer, BrokerSettings> settings = new LinkedHashMap<>();
        Map<Integer, LocalProcess> brokers = new LinkedHashMap<>();
        for (int id = 1; id <= size; id++) {
            BrokerSettings node = new BrokerSettings(id, firstPort + id - 1, firstControllerPort + id - 1,
                    dir.resolve("broker-" + id), voters, BrokerSettings.clusterIdOf(voters));
            settings.put(id, node);
            brokers.put(id, new LocalProcess("broker-" + id, "broker", environment(node),
                    dir.resolve("broker-" + id + ".log"), BROKER_JVM).start());
        }
        LocalCluster cluster = new LocalCluster(settings, brokers);
        try {
            cluster.awaitBrokers(size, timeout);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The environment {@code ./tally broker} reads for this node. */
    static Map<String, String> environment(BrokerSettings node) {
        return Map.of(
                "TALLY_NODE_ID", Integer.toString(node.nodeId()),
                "TALLY_KAFKA_PORT", Integer.toString(node.port()),
                "TALLY_KAFKA_CONTROLLER_PORT", Integer.toString(node.controllerPort()),
                "TALLY_KAFKA_LOG_DIR", node.logDir().toAbsolutePath().toString(),
                "TALLY_CONTROLLER_QUORUM_VOTERS", node.quorumVoters(),
                "TALLY_CLUSTER_ID", node.clusterId());
    }

    public String bootstrapServers() {
        return settings.values().stream().map(BrokerSettings::bootstrapServers).collect(Collectors.joining(","));
    }

    /** The client address of one node alone. */
    public String bootstrapServers(int nodeId) {
        return settings.get(nodeId).bootstrapServers();
    }

    /** Whether the node itself answers a client (a killed node's metadata lingers until its session expires). */
    public boolean answers(int nodeId) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(nodeId),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000", AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000"))) {
            admin.describeCluster().clusterId().get();
            return true;
        } catch (ExecutionException notServing) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public LocalProcess broker(int nodeId) {
        LocalProcess broker = brokers.get(nodeId);
        if (broker == null) {
            throw new IllegalArgumentException("no broker " + nodeId + " in " + brokers.keySet());
        }
        return broker;
    }

    public Map<Integer, LocalProcess> brokers() {
        return Map.copyOf(brokers);
    }

    /** Waits until the cluster's metadata lists {@code count} live brokers. */
    public void awaitBrokers(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        awaitListening(deadline);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000", AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000"))) {
            while (true) {
                try {
                    List<Node> nodes = List.copyOf(admin.describeCluster().nodes().get());
                    if (nodes.size() >= count) {
                        return;
                    }
                } catch (ExecutionException notYet) {
                    // no node answers yet
                }
                for (LocalProcess broker : brokers.values()) {
                    if (!broker.isAlive() && System.nanoTime() > deadline) {
                        throw new IllegalStateException(broker.name() + " exited; see " + broker.log());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(count + " brokers did not register within " + timeout);
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until every node accepts connections on its client port, so that the Admin client that follows does not
     * log a warning for each refused connection while the JVMs start.
     */
    private void awaitListening(long deadline) {
        for (BrokerSettings node : settings.values()) {
            while (System.nanoTime() < deadline && brokers.get(node.nodeId()).isAlive()) {
                try (java.net.Socket socket = new java.net.Socket()) {
                    socket.connect(new java.net.InetSocketAddress(BrokerSettings.HOST, node.port()), 1000);
                    break;
                } catch (java.io.IOException notYet) {
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }

    /** Stops every node at once (SIGTERM: each closes cleanly). */
    @Override
    public void close() {
        brokers.values().parallelStream().forEach(LocalProcess::stop);
    }
}
