package dev.tally.app.chaos;

import dev.tally.app.TallySettings;
import dev.tally.app.TopicSetup;
import dev.tally.app.cluster.FreePorts;
import dev.tally.app.cluster.LocalCluster;
import dev.tally.app.cluster.LocalProcess;
import dev.tally.config.Env;
import dev.tally.runtime.Directories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The production shape on one machine, every part a process of its own on 127.0.0.1: three KRaft brokers (topics
 * with replication 3, {@code min.insync.replicas} 2), two {@code ./tally ingest} and two {@code ./tally processor}
 * with one standby replica each. Each tally instance keeps its HTTP port and data directory across restarts, so a
 * restarted processor is the same static group member on the same state.
 */
final class Deployment implements AutoCloseable {

    static final int PARTITIONS = 6;
    private static final List<String> TALLY_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC");
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

    private final LocalCluster brokers;
    private final List<TallyInstance> ingests;
    private final List<TallyInstance> processors;
    private final TallySettings settings;

    private Deployment(LocalCluster brokers, List<TallyInstance> ingests, List<TallyInstance> processors, TallySettings settings) {
        this.brokers = brokers;
        this.ingests = ingests;
        this.processors = processors;
        this.settings = settings;
    }

    /** Starts afresh: whatever an earlier run left in the run's directory is deleted first. */
    static Deployment start(ChaosOptions options, ChaosHttp http) {
        Directories.deleteRecursively(options.dir());
        int firstPort = FreePorts.block(6);
        LocalCluster brokers = LocalCluster.start(options.dir().resolve("kafka"), 3, firstPort, firstPort + 3, READY_TIMEOUT);
        List<TallyInstance> ingests = new ArrayList<>();
        List<TallyInstance> processors = new ArrayList<>();
        try {
            Map<String, String> shared = new HashMap<>();
            shared.put("KAFKA_BOOTSTRAP_SERVERS", brokers.bootstrapServers());
            shared.put("TALLY_REPLICATION_FACTOR", "3");
            shared.put("TALLY_PARTITIONS", Integer.toString(PARTITIONS));
            shared.put("TALLY_HTTP_HOST", "127.0.0.1");
            shared.put("TALLY_ADVERTISED_HOST", "127.0.0.1");
            shared.put("TALLY_TOPIC_PREFIX", "chaos-");
            shared.put("TALLY_APPLICATION_ID", "chaos-processor");
            // A write the brokers cannot take answers 503 after 5 s, and the writer retries elsewhere.
            shared.put("TALLY_WRITE_TIMEOUT_MS", "5000");
            shared.put("TALLY_STANDBY_REPLICAS", "1");
            shared.put("TALLY_SESSION_TIMEOUT_MS", Long.toString(options.sessionTimeout().toMillis()));
            // Reads of committed state only, as in production (docker-compose.yml): what the monotonic-read check
            // holds tally to. TALLY_TRANSACTIONAL_STATE_STORES=false ./tally chaos shows the difference.
            shared.put("TALLY_TRANSACTIONAL_STATE_STORES", System.getenv().getOrDefault("TALLY_TRANSACTIONAL_STATE_STORES", "true"));
            TallySettings settings = TallySettings.fromEnv(new Env(shared));
            TopicSetup.ensure(settings.shared(), PARTITIONS, -1L);
            for (int i = 1; i <= 2; i++) {
                ingests.add(instance(options, shared, "ingest-" + i, "ingest"));
                processors.add(instance(options, shared, "processor-" + i, "processor"));
            }
            Deployment deployment = new Deployment(brokers, ingests, processors, settings);
            for (TallyInstance instance : deployment.instances()) {
                deployment.awaitReady(instance, http, READY_TIMEOUT);
            }
            return deployment;
        } catch (RuntimeException e) {
            ingests.forEach(instance -> instance.process().kill());
            processors.forEach(instance -> instance.process().kill());
            brokers.close();
            throw e;
        }
    }

    private static TallyInstance instance(ChaosOptions options, Map<String, String> shared, String name, String command) {
        int port = FreePorts.block(1);
        Map<String, String> env = new HashMap<>(shared);
        env.put("TALLY_HTTP_PORT", Integer.toString(port));
        env.put("TALLY_DATA_DIR", options.dir().resolve(name).toAbsolutePath().toString());
        // A JVM that crashes (rather than being killed) leaves its hs_err file beside its log, where the report counts it.
        List<String> jvm = new ArrayList<>(TALLY_JVM);
        jvm.add("-XX:ErrorFile=" + options.dir().toAbsolutePath().resolve(name + "-hs_err_%p.log"));
        LocalProcess process = new LocalProcess(name, command, env, options.dir().resolve(name + ".log"), jvm);
        return new TallyInstance(name, process.start(), port);
    }

    /** Waits until the instance answers 200 on /health/ready. */
    void awaitReady(TallyInstance instance, ChaosHttp http, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (http.get(instance.base() + "/health/ready", Duration.ofSeconds(2)).status() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(instance.name() + " not ready within " + timeout + "; see " + instance.process().log());
            }
            if (!instance.process().isAlive()) {
                throw new IllegalStateException(instance.name() + " exited; see " + instance.process().log());
            }
            pause(Duration.ofMillis(200));
        }
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    LocalCluster brokers() {
        return brokers;
    }

    List<TallyInstance> ingests() {
        return ingests;
    }

    List<TallyInstance> processors() {
        return processors;
    }

    List<TallyInstance> instances() {
        List<TallyInstance> all = new ArrayList<>(ingests);
        all.addAll(processors);
        return all;
    }

    TallySettings settings() {
        return settings;
    }

    String eventTopic() {
        return settings.topics().events();
    }

    /** Tally first, then the brokers, so no instance waits on a broker that is gone. */
    @Override
    public void close() {
        instances().parallelStream().forEach(instance -> instance.process().stop());
        brokers.close();
    }
}
