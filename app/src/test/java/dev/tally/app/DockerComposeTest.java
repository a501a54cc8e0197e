package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tally.config.Env;
import dev.tally.schemas.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot run here (no Docker engine), so this test holds it, the Dockerfile, nginx.conf and the
 * Prometheus and Grafana files to the code instead: the services exist, every tally setting it sets is one the code
 * reads, ports, hosts and replication agree with the settings the code derives from that environment, and each
 * operational promise (durable logs, health-gated startup, pinned images, keepalive, stream-only timeouts, a
 * non-root image) is written where the tools will read it. Where docker-compose and promtool are installed
 * (.ci/run installs them), they check the files too.
 */
class DockerComposeTest {

    private static final Path ROOT = Path.of("..");
    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;
    private static String nginx;
    private static String dockerfile;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        services = (Map<String, Map<String, Object>>) compose.get("services");
        nginx = Files.readString(ROOT.resolve("deploy/nginx.conf"));
        dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    }

    @Test
    void shouldDeclareThreeBrokersTwoIngestTwoProcessorsAndAProxy() {
        assertThat(services.keySet()).containsExactlyInAnyOrder("setup", "kafka-1", "kafka-2", "kafka-3", "ingest-1", "ingest-2",
                "processor-1", "processor-2", "proxy", "prometheus", "grafana");
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
            assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).startsWith("INTERNAL://" + broker + ":9092,");
        }
    }

    /**
     * The brokers of docker-compose.yml and those of {@code ./tally cluster up 3} ({@link BrokerSettings#kafkaConfig()})
     * are one configuration: every Kafka setting compose gives a broker is what tally's node of the same id runs, and
     * every setting tally's node runs is in compose, apart from addresses (hosts, ports, listeners, directories) and
     * the internal topics' partition counts, which tally sizes for a laptop.
     */
    @Test
    void shouldConfigureTheBrokersAsTallyClusterRunsThemPortsAside() {
        Set<String> addresses = Set.of("listeners", "advertised.listeners", "listener.security.protocol.map",
                "controller.quorum.voters", "log.dirs");
        Set<String> laptopSizing = Set.of("offsets.topic.num.partitions", "transaction.state.log.num.partitions", "num.partitions");
        // compose runs the cluster secured (SASL and ACLs, checked by its own tests here); ./tally cluster is the
        // same shape on loopback without them.
        Set<String> security = Set.of("inter.broker.listener.name", "sasl.enabled.mechanisms", "sasl.mechanism.controller.protocol",
                "sasl.mechanism.inter.broker.protocol", "listener.name.controller.sasl.enabled.mechanisms",
                "authorizer.class.name", "allow.everyone.if.no.acl.found", "super.users", "opts");
        String voters = "1@127.0.0.1:9192,2@127.0.0.1:9193,3@127.0.0.1:9194";
        for (String broker : kafkaServices()) {
            Map<String, String> composed = new HashMap<>();
            env(broker).forEach((name, value) -> {
                if (name.startsWith("KAFKA_")) {
                    composed.put(name.substring("KAFKA_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.'), value);
                }
            });
            int nodeId = Integer.parseInt(composed.get("node.id"));
            BrokerSettings node = new BrokerSettings(nodeId, 9091 + nodeId, 9191 + nodeId, Path.of("data", "cluster", "broker-" + nodeId),
                    voters, BrokerSettings.clusterIdOf(voters));
            Map<String, String> cluster = node.kafkaConfig();
            composed.keySet().removeAll(addresses);
            composed.keySet().removeAll(security);
            Map<String, String> comparable = new HashMap<>(cluster);
            comparable.keySet().removeAll(addresses);
            comparable.keySet().removeAll(security);
            comparable.keySet().removeAll(laptopSizing);
            assertThat(composed).as(broker + " against ./tally cluster's node " + nodeId).isEqualTo(comparable);
            assertThat(Arrays.stream(env(broker).get("KAFKA_CONTROLLER_QUORUM_VOTERS").split(","))
                    .map(voter -> voter.substring(0, voter.indexOf('@'))).toList())
                    .as("the same voter ids").isEqualTo(Arrays.stream(node.voterIds()).mapToObj(String::valueOf).toList());
            assertThat(cluster.get("listeners")).contains("CONTROLLER://").contains("PLAINTEXT://");
            assertThat(env(broker).get("KAFKA_LISTENERS")).contains("CONTROLLER://");
        }
    }

    @Test
    void shouldKeepTheBrokerLogsOnTheNamedVolumes() {
        for (String broker : kafkaServices()) {
            String logDirs = env(broker).get("KAFKA_LOG_DIRS");
            assertThat(logDirs).as(broker + " KAFKA_LOG_DIRS (the image's default is /tmp/kafka-logs)").isNotNull();
            List<?> volumes = ((List<?>) services.get(broker).get("volumes")).stream()
                    .filter(volume -> !volume.toString().startsWith("./")).toList();
            assertThat(volumes).hasSize(1);
            String[] mount = volumes.get(0).toString().split(":");
            assertThat(mount[0]).as("a named volume, not a host path").isEqualTo(broker);
            assertThat(((Map<?, ?>) compose.get("volumes")).containsKey(mount[0])).isTrue();
            for (String dir : logDirs.split(",")) {
                assertThat(dir + "/").startsWith(mount[1] + "/");
            }
        }
    }

    @Test
    void shouldFormatEveryBrokerWithOneClusterIdAsKafkaStorageMakesIt() {
        Set<String> ids = kafkaServices().stream().map(name -> env(name).get("CLUSTER_ID")).collect(Collectors.toSet());
        assertThat(ids).hasSize(1);
        String id = ids.iterator().next();
        // kafka-storage.sh random-uuid: 16 random bytes in URL-safe base64 without padding.
        assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]{22}");
        assertThat(Base64.getUrlDecoder().decode(id)).hasSize(16);
    }

    @Test
    void shouldOfferEachBrokerToConsoleToolsOnTheHost() {
        Set<String> hostPorts = new HashSet<>();
        for (String broker : kafkaServices()) {
            Map<String, String> env = env(broker);
            assertThat(env.get("KAFKA_LISTENERS")).contains("EXTERNAL://:29092");
            assertThat(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")).contains("EXTERNAL:SASL_PLAINTEXT");
            Matcher advertised = Pattern.compile("EXTERNAL://localhost:(\\d+)").matcher(env.get("KAFKA_ADVERTISED_LISTENERS"));
            assertThat(advertised.find()).as(broker + " advertises an EXTERNAL listener on localhost").isTrue();
            String hostPort = advertised.group(1);
            assertThat(services.get(broker).get("ports")).as("the advertised port is the published one")
                    .isEqualTo(List.of(hostPort + ":29092"));
            hostPorts.add(hostPort);
        }
        assertThat(hostPorts).hasSize(3);
    }

    @Test
    void shouldCheckTheHealthOfEveryServiceAndStartEachOnlyOnceWhatItNeedsIsHealthy() {
        services.forEach((name, service) -> {
            if ("no".equals(service.get("restart"))) {
                return; // a one-shot job: done is its health, and what depends on it waits for that
            }
            Map<?, ?> healthcheck = (Map<?, ?>) service.get("healthcheck");
            assertThat(healthcheck).as(name + " healthcheck").isNotNull();
            assertThat(healthcheck.get("test").toString()).as(name + " healthcheck test").isNotBlank();
        });
        assertThat(dependencies("setup")).containsOnly(Map.entry("kafka-1", "service_healthy"),
                Map.entry("kafka-2", "service_healthy"), Map.entry("kafka-3", "service_healthy"));
        for (String name : tallyServices()) {
            assertThat(dependencies(name)).containsOnly(Map.entry("setup", "service_completed_successfully"));
            assertThat(services.get(name).get("healthcheck").toString()).contains("/health/ready");
        }
        assertThat(dependencies("proxy").keySet()).containsExactlyInAnyOrderElementsOf(tallyServices());
        assertThat(dependencies("proxy").values()).containsOnly("service_healthy");
        assertThat(dependencies("grafana")).containsOnly(Map.entry("prometheus", "service_healthy"));
    }

    @Test
    void shouldAuthenticateEveryKafkaListenerAndAuthorizeEveryRequest() throws IOException {
        String jaas = Files.readString(ROOT.resolve("deploy/kafka/jaas.conf"));
        for (String broker : kafkaServices()) {
            Map<String, String> env = env(broker);
            for (String listener : env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(",")) {
                assertThat(listener).as(broker + " listener").endsWith(":SASL_PLAINTEXT");
            }
            assertThat(env.get("KAFKA_LISTENERS").split(",")).hasSize(3);
            assertThat(env.get("KAFKA_AUTHORIZER_CLASS_NAME")).isEqualTo("org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            assertThat(env.get("KAFKA_SUPER_USERS")).isEqualTo("User:admin");
            assertThat(env.get("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND")).isEqualTo("false");
            assertThat(env.get("KAFKA_SASL_ENABLED_MECHANISMS")).contains("SCRAM-SHA-512");
            assertThat(env.get("KAFKA_OPTS")).contains("-Djava.security.auth.login.config=/etc/kafka/tally/jaas.conf");
            assertThat(mounts(broker)).containsEntry("./deploy/kafka", "/etc/kafka/tally");
            assertThat(services.get(broker).get("healthcheck").toString()).contains("--command-config /etc/kafka/tally/admin.properties");
        }
        assertThat(jaas).contains("user_admin=\"admin-secret\"").contains("ScramLoginModule required;");
        assertThat(Files.readString(ROOT.resolve("deploy/kafka/admin.properties"))).contains("password=\"admin-secret\"");
    }

    @Test
    void shouldSetUpTallysUsersAndLeastAclsAndRunEachServiceAsItsOwnUser() {
        Map<String, String> setupEnv = env("setup");
        Env env = new Env(setupEnv);
        TallySettings settings = TallySettings.fromEnv(env);
        KafkaSetup setup = KafkaSetup.fromEnv(env);
        assertThat(env.requested()).as("settings read by the code").containsAll(setupEnv.keySet());
        assertThat(services.get("setup").get("command")).isEqualTo(List.of("setup"));
        assertThat(settings.kafka().extra().get("sasl.jaas.config")).contains("username=\"admin\"");
        for (String name : tallyServices()) {
            KafkaSetup.Credentials expected = (name.startsWith("ingest") ? setup.ingest() : setup.processor()).orElseThrow();
            Map<String, String> client = TallySettings.fromEnv(new Env(env(name))).kafka().extra();
            assertThat(client).containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
            assertThat(client.get("sasl.jaas.config")).as(name).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule"
                    + " required username=\"" + expected.user() + "\" password=\"" + expected.password() + "\";");
        }
    }

    @Test
    void shouldPinEveryImageToAnExactVersion() throws IOException {
        Pattern exact = Pattern.compile("[a-z0-9./-]+:v?\\d+\\.\\d+\\.\\d+[A-Za-z0-9._-]*");
        services.forEach((name, service) -> {
            if (service.containsKey("image")) {
                assertThat(service.get("image").toString()).as(name + " image").matches(exact);
            }
        });
        List<String> bases = dockerfile.lines().filter(line -> line.startsWith("FROM ")).map(line -> line.split("\\s+")[1]).toList();
        assertThat(bases).hasSize(2).allSatisfy(image -> assertThat(image).matches(exact));
    }

    @Test
    void shouldScrapeEveryTallyInstanceFromPrometheusAndEvaluateTheAlerts() throws IOException {
        Map<String, Object> prometheus = new Yaml().load(Files.readString(ROOT.resolve("deploy/prometheus/prometheus.yml")));
        assertThat((List<Object>) prometheus.get("rule_files")).containsExactly("alerts.yml");
        Set<String> targets = new HashSet<>();
        for (Object job : (List<?>) prometheus.get("scrape_configs")) {
            Map<?, ?> config = (Map<?, ?>) job;
            if (config.get("job_name").toString().startsWith("tally")) {
                assertThat(config.get("metrics_path")).isEqualTo("/metrics");
                for (Object group : (List<?>) config.get("static_configs")) {
                    ((List<?>) ((Map<?, ?>) group).get("targets")).forEach(target -> targets.add(target.toString()));
                }
            }
        }
        Set<String> expected = new HashSet<>();
        for (String name : tallyServices()) {
            expected.add(name + ":" + TallySettings.fromEnv(new Env(env(name))).httpPort());
        }
        assertThat(targets).isEqualTo(expected);
        assertThat(mounts("prometheus")).contains(
                Map.entry("./deploy/prometheus/prometheus.yml", "/etc/prometheus/prometheus.yml"),
                Map.entry("./deploy/prometheus/alerts.yml", "/etc/prometheus/alerts.yml"));
        assertThat((List<Object>) services.get("prometheus").get("command")).contains("--config.file=/etc/prometheus/prometheus.yml");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldProvisionGrafanaWithPrometheusAndTheDashboard() throws IOException {
        Map<String, String> mounts = mounts("grafana");
        assertThat(mounts).containsEntry("./deploy/grafana/provisioning", "/etc/grafana/provisioning");
        Map<String, Object> datasources = new Yaml().load(Files.readString(
                ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml")));
        Map<String, Object> datasource = ((List<Map<String, Object>>) datasources.get("datasources")).get(0);
        assertThat(datasource.get("url")).isEqualTo("http://prometheus:9090");
        assertThat((List<Object>) services.get("prometheus").get("ports")).containsExactly("9090:9090");

        Map<String, Object> providers = new Yaml().load(Files.readString(
                ROOT.resolve("deploy/grafana/provisioning/dashboards/tally.yml")));
        String path = ((Map<String, Object>) ((List<Map<String, Object>>) providers.get("providers")).get(0).get("options"))
                .get("path").toString();
        assertThat(mounts).containsEntry("./deploy/grafana/dashboards", path);
        JsonNode dashboard = Json.mapper().readTree(Files.readString(ROOT.resolve("deploy/grafana/dashboards/tally.json")));
        assertThat(dashboard.get("panels").findValues("datasource")).allSatisfy(ref ->
                assertThat(ref.get("uid").asText()).isEqualTo(datasource.get("uid")));
        Set<String> titles = new HashSet<>();
        dashboard.get("panels").forEach(panel -> titles.add(panel.get("title").asText()));
        assertThat(titles).contains("Requests per route", "p99 server time per route", "Write answers by status",
                "Processor lag per partition", "Commit latency", "Standby lag", "Open streams", "Live sessions", "JVM pauses");
        assertThat((List<Object>) services.get("grafana").get("ports")).containsExactly("3000:3000");
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

    @Test
    void shouldKeepConnectionsToTheInstancesOpenAndPassTheClientAddress() {
        for (String upstream : List.of("ingest", "processors")) {
            assertThat(block("upstream " + upstream)).containsPattern("keepalive \\d+;");
        }
        String server = block("server");
        assertThat(server).contains("proxy_http_version 1.1;").contains("proxy_set_header Connection \"\";")
                .contains("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;");
    }

    @Test
    void shouldSizeTheProxyForThousandsOfOpenStreams() {
        assertThat(nginx).containsPattern("(?m)^worker_processes auto;");
        int connections = directive(block("events"), "worker_connections");
        assertThat(connections).isGreaterThanOrEqualTo(16384);
        // Each proxied stream holds two descriptors: the client's and the upstream's.
        assertThat(directive(nginx, "worker_rlimit_nofile")).isGreaterThanOrEqualTo(2 * connections);
    }

    @Test
    void shouldHoldStreamsOpenUnbufferedOnlyOnStreamRoutes() {
        Map<String, String> locations = locations();
        assertThat(locations).containsKeys("= /v1/stream", "/", "= /metrics");
        String postStreams = locations.keySet().stream().filter(match -> match.startsWith("~ ")).findFirst().orElseThrow();
        Pattern postStream = Pattern.compile(postStreams.substring(2).trim());
        assertThat(postStream.matcher("/v1/42/stream").find()).as(postStreams).isTrue();
        assertThat(postStream.matcher("/v1/42/likes").find()).as(postStreams).isFalse();
        assertThat(postStream.matcher("/v1/42/stream/x").find()).as(postStreams).isFalse();
        for (String stream : List.of(postStreams, "= /v1/stream")) {
            String body = locations.get(stream);
            assertThat(body).contains("proxy_buffering off;").contains("proxy_pass http://processors;");
            assertThat(body).containsPattern("proxy_read_timeout (\\d+h|\\d{4,}s?);");
        }
        String everythingElse = locations.get("/");
        assertThat(everythingElse).doesNotContain("proxy_buffering off").containsPattern("proxy_read_timeout \\d{1,2}s;");
        String outside = block("server").replaceAll("(?s)location [^{]*\\{[^}]*}", "");
        assertThat(outside).doesNotContain("proxy_buffering").doesNotContain("proxy_read_timeout");
        assertThat(locations.get("= /metrics")).contains("deny all;").doesNotContain("proxy_pass");
    }

    @Test
    void shouldBuildAnImageThatRunsAsAnUnprivilegedUserAndChecksItsOwnHealth() {
        List<String> runtime = runtimeStage();
        String user = runtime.stream().filter(line -> line.startsWith("USER ")).map(line -> line.substring(5).trim())
                .reduce((first, last) -> last).orElse("root");
        assertThat(user).isNotIn("root", "0");
        assertThat(String.join("\n", runtime)).contains("useradd").contains(user);
        String entrypoint = runtime.stream().filter(line -> line.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
        assertThat(entrypoint).contains("\"-XX:MaxRAMPercentage=75\"");
        String healthcheck = runtime.stream().filter(line -> line.startsWith("HEALTHCHECK")).findFirst().orElseThrow();
        assertThat(healthcheck).contains("/opt/tally/probe").contains("/health/live");
        assertThat(runtime).contains("COPY deploy/probe.sh /opt/tally/probe");
    }

    @Test
    void shouldCacheDependenciesInALayerOfTheirOwnAndNotCompileTests() throws IOException {
        List<String> lines = dockerfile.lines().toList();
        int goOffline = indexOf(lines, "RUN mvn -q -B dependency:go-offline");
        int sources = lines.indexOf("COPY . .");
        assertThat(goOffline).isPositive().isLessThan(sources);
        List<String> modules = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")))
                .results().map(result -> result.group(1)).toList();
        for (String module : modules) {
            int copy = lines.indexOf("COPY " + module + "/pom.xml " + module + "/");
            assertThat(copy).as("the pom of " + module + " is copied before the dependency layer").isBetween(0, goOffline);
        }
        String build = lines.stream().filter(line -> line.startsWith("RUN mvn") && line.contains("package")).findFirst().orElseThrow();
        assertThat(build).contains("-Dmaven.test.skip=true").doesNotContain("-DskipTests");
    }

    @Test
    void shouldProbeHealthWithoutCurlOrAJvm() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is needed to run the probe");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            int status = exchange.getRequestURI().getPath().equals("/health/live") ? 200 : 503;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            assertThat(probe(port, "/health/live")).isZero();
            assertThat(probe(port, "/health/ready")).isNotZero();
        } finally {
            server.stop(0);
        }
        assertThat(probe(freePort(), "/health/live")).as("nothing listening").isNotZero();
    }

    @Test
    void shouldBeAComposeFileThatComposeAccepts() throws Exception {
        List<String> command = composeCommand();
        assumeTrue(command != null, "neither docker-compose nor docker compose is installed");
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("-f", ROOT.resolve("docker-compose.yml").toString(), "config", "-q"));
        Result result = run(args);
        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void shouldHaveAlertRulesAndAPrometheusConfigThatPromtoolAccepts() throws Exception {
        assumeTrue(onPath("promtool"), "promtool (Debian package prometheus) is not installed");
        Result rules = run(List.of("promtool", "check", "rules", ROOT.resolve("deploy/prometheus/alerts.yml").toString()));
        assertThat(rules.exit()).as(rules.output()).isZero();
        assertThat(rules.output()).contains("SUCCESS: 6 rules found");
        Result config = run(List.of("promtool", "check", "config", ROOT.resolve("deploy/prometheus/prometheus.yml").toString()));
        assertThat(config.exit()).as(config.output()).isZero();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static boolean onPath(String program) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    /** docker-compose (Debian's package), else the docker CLI's compose plugin, else null. */
    private static List<String> composeCommand() throws IOException, InterruptedException {
        if (onPath("docker-compose")) {
            return List.of("docker-compose");
        }
        if (onPath("docker") && run(List.of("docker", "compose", "version")).exit() == 0) {
            return List.of("docker", "compose");
        }
        return null;
    }

    private static int probe(int port, String path) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", ROOT.resolve("deploy/probe.sh").toString(), path)
                .redirectErrorStream(true);
        builder.environment().put("TALLY_HTTP_PORT", Integer.toString(port));
        Process process = builder.start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** The lines of the Dockerfile's last stage, the image that runs. */
    private static List<String> runtimeStage() {
        List<String> lines = dockerfile.lines().toList();
        int from = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("FROM ")) {
                from = i;
            }
        }
        return lines.subList(from, lines.size());
    }

    /** The body of the first nginx block that starts with {@code header}, nested blocks included. */
    private static String block(String header) {
        Matcher start = Pattern.compile("(?m)^\\s*" + Pattern.quote(header) + "\\s*\\{").matcher(nginx);
        assertThat(start.find()).as("nginx block " + header).isTrue();
        int depth = 1;
        int i = start.end();
        while (depth > 0) {
            char c = nginx.charAt(i++);
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
        }
        return nginx.substring(start.end(), i - 1);
    }

    /** Each location of the server block by its match (such as {@code = /metrics}), with its body. */
    private static Map<String, String> locations() {
        Map<String, String> locations = new HashMap<>();
        Matcher location = Pattern.compile("location ([^{]+?)\\s*\\{([^}]*)}").matcher(block("server"));
        while (location.find()) {
            locations.put(location.group(1).trim(), location.group(2));
        }
        return locations;
    }

    private static int directive(String text, String name) {
        Matcher value = Pattern.compile("(?m)^\\s*" + name + " (\\d+);").matcher(text);
        assertThat(value.find()).as(name).isTrue();
        return Integer.parseInt(value.group(1));
    }

    private static List<String> tallyServices() {
        return List.of("ingest-1", "ingest-2", "processor-1", "processor-2");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> dependencies(String service) {
        Map<String, String> conditions = new HashMap<>();
        ((Map<String, Map<String, Object>>) services.get(service).get("depends_on"))
                .forEach((name, condition) -> conditions.put(name, condition.get("condition").toString()));
        return conditions;
    }

    /** Bind mounts of a service, host path to container path (":ro" dropped). */
    private static Map<String, String> mounts(String service) {
        Map<String, String> mounts = new HashMap<>();
        for (Object volume : (List<?>) services.get(service).get("volumes")) {
            String[] parts = volume.toString().split(":");
            mounts.put(parts[0], parts[1]);
        }
        return mounts;
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
