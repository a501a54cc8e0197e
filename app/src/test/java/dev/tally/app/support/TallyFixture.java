package dev.tally.app.support;

import dev.tally.app.Role;
import dev.tally.app.TallyNode;
import dev.tally.app.TallySettings;
import dev.tally.app.TopicSetup;
import dev.tally.config.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;

/**
 * A tally deployment for one test: its own topic prefix and application id on the shared broker, and as many
 * nodes (ingest, processor or both) as the test starts, each on a free port with its own state directory.
 * Closing it stops every node.
 */
public final class TallyFixture implements AutoCloseable {

    private final Map<String, String> env = new HashMap<>();
    private final String bootstrapServers;
    private final Path dataRoot;
    private final List<TallyNode> nodes = new ArrayList<>();
    private final TallySettings base;

    private TallyFixture(String bootstrapServers, Map<String, String> overrides) {
        this.bootstrapServers = bootstrapServers;
        String id = "t" + UUID.randomUUID().toString().substring(0, 8);
        this.dataRoot = TempDirs.create("tally-" + id);
        env.put("TALLY_TOPIC_PREFIX", id + "-");
        env.put("TALLY_APPLICATION_ID", id + "-processor");
        env.put("TALLY_ADVERTISED_HOST", "127.0.0.1");
        env.put("TALLY_HTTP_HOST", "127.0.0.1");
        env.put("TALLY_PARTITIONS", "12");
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        // A write waits up to 10 s for its count, not 2: on a machine busy with other builds a commit can take
        // longer than 2 s, and the tests that expect 200 would see the (correct) 202 of a slow confirmation.
        env.put("TALLY_WRITE_CONFIRM_TIMEOUT_MS", "10000");
        env.putAll(overrides);
        this.base = TallySettings.fromEnv(new Env(env));
        TopicSetup.ensure(base.shared(), base.partitions(), base.eventRetentionMillis());
    }

    /** A deployment on the shared in-process broker. */
    public static TallyFixture create() {
        return create(Map.of());
    }

    public static TallyFixture create(Map<String, String> env) {
        return new TallyFixture(SharedKafka.bootstrapServers(), env);
    }

    /** A deployment on another cluster, such as a Testcontainers broker. */
    public static TallyFixture on(String bootstrapServers) {
        return new TallyFixture(bootstrapServers, Map.of());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public TallySettings settings() {
        return base;
    }

    /** The environment every node of this fixture is started with. */
    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    /** An all-in-one node (ingest and processor) that keeps its state under {@code name}; ready when it returns. */
    public TallyNode start(String name) {
        return start(name, EnumSet.allOf(Role.class));
    }

    public TallyNode start(String name, Set<Role> roles) {
        TallySettings settings = settingsFor(name).withHttpPort(SharedKafka.freePort());
        TallyNode node = TallyNode.start(settings, roles);
        nodes.add(node);
        if (roles.contains(Role.PROCESSOR)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(node::isProcessorRunning);
        }
        return node;
    }

    /**
     * The settings of the node called {@code name}: its data directory, on this fixture's topics. A process started
     * with them (a rebuild, a processor in another JVM) works on that node's state.
     */
    public TallySettings settingsFor(String name) {
        return TallySettings.fromEnv(new Env(envFor(name)));
    }

    /** The environment of the node called {@code name}, for a tally started in a process of its own. */
    public Map<String, String> envFor(String name) {
        Map<String, String> nodeEnv = new HashMap<>(env);
        nodeEnv.put("TALLY_DATA_DIR", dataRoot.resolve(name).toString());
        return nodeEnv;
    }

    public void stop(TallyNode node) {
        nodes.remove(node);
        node.close();
    }

    @Override
    public void close() {
        nodes.forEach(TallyNode::close);
        nodes.clear();
        TempDirs.deleteRecursively(dataRoot);
    }
}
