package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tally.config.Env;
import dev.tally.config.Regions;
import dev.tally.mirror.MirrorSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.regions.yml held to the code, as DockerComposeTest holds docker-compose.yml: two clusters of three
 * brokers configured as {@code ./tally cluster} runs them, each region's tally and setup reading only real
 * settings and naming its own region, its peer and its own brokers, and each region's mirror configured (by
 * {@link MirrorSettings}, the class that runs it) to copy the other region's events into its own cluster, started
 * from the image's mirror class path once both regions' topics exist. Where docker-compose is installed, it checks
 * the file too.
 */
class RegionsComposeTest {

    private static final Path ROOT = Path.of("..");
    private static final Path FILE = ROOT.resolve("docker-compose.regions.yml");
    private static final List<String> REGIONS = List.of("east", "west");
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(FILE));
        services = (Map<String, Map<String, Object>>) compose.get("services");
    }

    @Test
    void shouldDeclareThreeBrokersASetupATallyAndAMirrorPerRegion() {
        assertThat(services.keySet()).containsExactlyInAnyOrder(
                "east-kafka-1", "east-kafka-2", "east-kafka-3", "west-kafka-1", "west-kafka-2", "west-kafka-3",
                "east-setup", "west-setup", "east-tally", "west-tally", "east-mirror", "west-mirror");
    }

    /** Each region is a cluster of its own, configured as {@code ./tally cluster up 3} configures its nodes. */
    @Test
    void shouldRunEachRegionAsAReplicatedKraftClusterOfItsOwnConfiguredAsTallyClusterRunsIt() {
        Set<String> addresses = Set.of("listeners", "advertised.listeners", "listener.security.protocol.map",
                "controller.quorum.voters", "log.dirs");
        Set<String> laptopSizing = Set.of("offsets.topic.num.partitions", "transaction.state.log.num.partitions", "num.partitions");
        Set<String> clusterIds = new HashSet<>();
        for (String region : REGIONS) {
            Set<String> ids = brokers(region).stream().map(name -> env(name).get("CLUSTER_ID")).collect(Collectors.toSet());
            assertThat(ids).as(region + "'s brokers format with one cluster id").hasSize(1);
            clusterIds.addAll(ids);
            for (String broker : brokers(region)) {
                Map<String, String> composed = new HashMap<>();
                env(broker).forEach((name, value) -> {
                    if (name.startsWith("KAFKA_")) {
                        composed.put(name.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
                    }
                });
                int nodeId = Integer.parseInt(composed.get("node.id"));
                String voters = "1@" + region + "-kafka-1:9093,2@" + region + "-kafka-2:9093,3@" + region + "-kafka-3:9093";
                assertThat(composed.get("controller.quorum.voters")).isEqualTo(voters);
                assertThat(composed.get("advertised.listeners")).isEqualTo("PLAINTEXT://" + broker + ":9092");
                assertThat(broker).isEqualTo(region + "-kafka-" + nodeId);
                String loopbackVoters = "1@127.0.0.1:9192,2@127.0.0.1:9193,3@127.0.0.1:9194";
                Map<String, String> cluster = new HashMap<>(new BrokerSettings(nodeId, 9091 + nodeId, 9191 + nodeId,
                        Path.of("data"), loopbackVoters, BrokerSettings.clusterIdOf(loopbackVoters)).kafkaConfig());
                composed.keySet().removeAll(addresses);
                cluster.keySet().removeAll(addresses);
                cluster.keySet().removeAll(laptopSizing);
                assertThat(composed).as(broker + " against ./tally cluster's node " + nodeId).isEqualTo(cluster);
            }
        }
        assertThat(clusterIds).as("two clusters, not one").hasSize(2);
    }

    @Test
    void shouldGiveEachRegionsTallyItsRegionItsPeerAndItsOwnBrokers() {
        for (String region : REGIONS) {
            String peer = peerOf(region);
            for (String name : List.of(region + "-tally", region + "-setup")) {
                Map<String, String> environment = env(name);
                Env env = new Env(environment);
                TallySettings settings = TallySettings.fromEnv(env);
                settings.processor();
                settings.ingest();
                settings.query();
                KafkaSetup.fromEnv(env);
                assertThat(env.requested()).as(name + ": settings read by the code").containsAll(environment.keySet());
                assertThat(settings.shared().regions()).as(name).isEqualTo(new Regions(region, List.of(peer)));
                assertThat(settings.topics().eventSources()).as(name + " counts (and sets up) the peer's events")
                        .containsExactly("counter-events", peer + ".counter-events");
                assertThat(settings.shared().replicationFactor()).isEqualTo((short) 3);
                assertThat(servers(settings.kafkaBootstrapServers().orElseThrow())).as(name).isEqualTo(brokerAddresses(region));
            }
            assertThat(services.get(region + "-setup").get("command")).isEqualTo(List.of("setup"));
            assertThat(services.get(region + "-tally").get("command")).isEqualTo(List.of("run"));
            assertThat(TallySettings.fromEnv(new Env(env(region + "-tally"))).advertisedHost()).isEqualTo(region + "-tally");
            assertThat(dependencies(region + "-tally")).containsOnly(Map.entry(region + "-setup", "service_completed_successfully"));
        }
    }

    @Test
    void shouldMirrorEachRegionsEventsIntoTheOtherFromTheImagesMirrorClassPath() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        for (String region : REGIONS) {
            String name = region + "-mirror";
            Map<String, String> environment = env(name);
            Env env = new Env(environment);
            MirrorSettings mirror = MirrorSettings.fromEnv(env);
            assertThat(env.requested()).as(name + ": settings read by the code").containsAll(environment.keySet());
            assertThat(mirror.regions()).isEqualTo(new Regions(region, List.of(peerOf(region))));
            for (String cluster : REGIONS) {
                assertThat(servers(mirror.clusters().get(cluster))).as(name + ": " + cluster).isEqualTo(brokerAddresses(cluster));
            }
            Map<String, String> config = mirror.mirrorMakerConfig();
            assertThat(config).containsEntry(peerOf(region) + "->" + region + ".enabled", "true")
                    .containsEntry(region + ".exactly.once.source.support", "enabled")
                    .containsEntry("replication.factor", "3");
            // What the mirror copies is what the region's tally reads.
            TallySettings tally = TallySettings.fromEnv(new Env(env(region + "-tally")));
            assertThat(mirror.topic()).isEqualTo(tally.topics().events());
            assertThat(mirror.topics().mirroredEvents(peerOf(region))).isIn(tally.topics().eventSources());
            assertThat(dependencies(name)).containsOnly(Map.entry("east-setup", "service_completed_successfully"),
                    Map.entry("west-setup", "service_completed_successfully"));

            List<?> entrypoint = (List<?>) services.get(name).get("entrypoint");
            assertThat(entrypoint.get(entrypoint.size() - 1)).isEqualTo("dev.tally.mirror.MirrorMain");
            String classpath = entrypoint.get(entrypoint.indexOf("-cp") + 1).toString();
            for (String entry : classpath.split(":")) {
                String copy = entry.endsWith("/*")
                        ? "COPY --from=build \\S+ " + Pattern.quote(entry.substring(0, entry.length() - 2))
                        : "COPY --from=build \\S+/" + Pattern.quote(entry.substring(entry.lastIndexOf('/') + 1)) + " "
                                + Pattern.quote(entry.substring(0, entry.lastIndexOf('/') + 1));
                assertThat(dockerfile).as("the image holds " + entry).containsPattern("(?m)^" + copy + "$");
            }
        }
    }

    @Test
    void shouldBeAComposeFileThatComposeAccepts() throws Exception {
        assumeTrue(Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "docker-compose"))), "docker-compose is not installed");
        Process process = new ProcessBuilder("docker-compose", "-f", FILE.toString(), "config", "-q")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static String peerOf(String region) {
        return region.equals("east") ? "west" : "east";
    }

    private static List<String> brokers(String region) {
        return services.keySet().stream().filter(name -> name.startsWith(region + "-kafka-")).sorted().toList();
    }

    private static Set<String> brokerAddresses(String region) {
        return brokers(region).stream().map(name -> name + ":9092").collect(Collectors.toSet());
    }

    private static Set<String> servers(String list) {
        return Set.of(list.split(","));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> dependencies(String service) {
        Map<String, String> conditions = new HashMap<>();
        ((Map<String, Map<String, Object>>) services.get(service).get("depends_on"))
                .forEach((name, condition) -> conditions.put(name, condition.get("condition").toString()));
        return conditions;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(String service) {
        Map<String, Object> raw = (Map<String, Object>) services.get(service).get("environment");
        Map<String, String> env = new HashMap<>();
        raw.forEach((key, value) -> env.put(key, String.valueOf(value)));
        return env;
    }
}
