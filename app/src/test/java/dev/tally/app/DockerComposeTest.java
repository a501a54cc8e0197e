package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.config.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot run here (no Docker engine), so this test holds it to the code instead: the services
 * exist, every tally setting it sets is one the code reads, and ports, hosts and replication agree with the settings
 * the code derives from that environment.
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of("..");
    private static Map<String, Map<String, Object>> services;
    private static String nginx;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
        nginx = Files.readString(ROOT.resolve("deploy/nginx.conf"));
    }

    @Test
    void shouldDeclareThreeBrokersTwoIngestTwoProcessorsAndAProxy() {
        assertThat(services.keySet()).containsExactlyInAnyOrder(
                "kafka-1", "kafka-2", "kafka-3", "ingest-1", "ingest-2", "processor-1", "processor-2", "proxy");
    }

    @Test
    void shouldRunTheBrokersAsAReplicatedKraftQuorum() {
        Set<String> nodeIds = kafkaServices().stream().map(name -> env(name).get("KAFKA_NODE_ID")).collect(Collectors.toSet());
        assertThat(nodeIds).containsExactlyInAnyOrder("1", "2", "3");
        for (String broker : kafkaServices()) {
            Map<String, String> env = env(broker);
            assertThat((String) services.get(broker).get("image")).startsWith("apache/kafka:");
            assertThat(env.get("KAFKA_MIN_INSYNC_REPLICAS")).isEqualTo("2");
            assertThat(env.get("KAFKA_DEFAULT_REPLICATION_FACTOR")).isEqualTo("3");
            assertThat(env.get("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")).isEqualTo("2");
            assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"))
                    .isEqualTo("1@kafka-1:9093,2@kafka-2:9093,3@kafka-3:9093");
            assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).isEqualTo("PLAINTEXT://" + broker + ":9092");
        }
    }

    @Test
    void shouldSetOnlySettingsTheCodeReadsAndAgreeWithTheBrokersAndTheProxy() {
        for (String name : List.of("ingest-1", "ingest-2", "processor-1", "processor-2")) {
            Map<String, String> environment = env(name);
            Env env = new Env(environment);
            TallySettings settings = TallySettings.fromEnv(env);
            settings.ingest();
            settings.processor();
            settings.query();
            assertThat(env.requested()).as("settings read by the code").containsAll(environment.keySet());

            String role = ((List<?>) services.get(name).get("command")).get(0).toString();
            assertThat(role).isEqualTo(name.startsWith("ingest") ? "ingest" : "processor");
            assertThat(settings.advertisedHost()).isEqualTo(name);
            assertThat(settings.shared().replicationFactor()).isEqualTo((short) 3);
            assertThat(Arrays.stream(settings.kafkaBootstrapServers().orElseThrow().split(",")).toList())
                    .containsExactlyInAnyOrder("kafka-1:9092", "kafka-2:9092", "kafka-3:9092");
            assertThat(nginx).contains("server " + name + ":" + settings.httpPort() + ";");
        }
        assertThat(env("processor-1").get("TALLY_STANDBY_REPLICAS")).isEqualTo("1");
    }

    @Test
    void shouldSendWritesToIngestAndReadsToProcessorsThroughThePublishedPort() {
        assertThat(services.get("proxy").get("ports")).isEqualTo(List.of("8080:8080"));
        Matcher listen = Pattern.compile("listen (\\d+);").matcher(nginx);
        assertThat(listen.find()).isTrue();
        assertThat(listen.group(1)).isEqualTo("8080");
        assertThat(nginx).containsPattern("PUT\\s+ingest;").containsPattern("default processors;");
    }

    private static List<String> kafkaServices() {
        return services.keySet().stream().filter(name -> name.startsWith("kafka-")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(String service) {
        Map<String, Object> raw = (Map<String, Object>) services.get(service).get("environment");
        Map<String, String> env = new HashMap<>();
        raw.forEach((key, value) -> env.put(key, String.valueOf(value)));
        return env;
    }
}
