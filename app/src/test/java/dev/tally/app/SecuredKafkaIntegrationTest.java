package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.app.support.EventTopic;
import dev.tally.app.support.Http;
import dev.tally.app.support.SharedKafka;
import dev.tally.app.support.TempDirs;
import dev.tally.config.Env;
import dev.tally.schemas.StoreNames;
import dev.tally.schemas.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * tally on a secured broker: SASL_PLAINTEXT with SCRAM-SHA-512 users created through the Admin API, the
 * StandardAuthorizer, and the ACLs of {@link KafkaAccess}, nothing more, all made by {@link KafkaSetup} as
 * {@code ./tally setup} makes them. Ingest and the processor run as separate
 * nodes, each configured only through {@code TALLY_KAFKA_CLIENT_*}, and count exactly; a client without
 * credentials, with a wrong password, or as ingest on a topic that is not its own, is refused, and nothing it sent
 * is counted.
 */
@Tag("integration")
class SecuredKafkaIntegrationTest {

    private static final EmbeddedKafka.SuperUser BROKER = new EmbeddedKafka.SuperUser("broker", "broker-secret");
    private static Path dir;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startSecuredBroker() {
        dir = TempDirs.create("tally-secured-kafka");
        kafka = EmbeddedKafka.startSecured(dir, SharedKafka.freePort(), SharedKafka.freePort(), BROKER);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
        TempDirs.deleteRecursively(dir);
    }

    @Test
    void shouldCountExactlyWithLeastPrivilegeUsersAndCountNothingFromAnyoneElse() throws Exception {
        String id = "s" + UUID.randomUUID().toString().substring(0, 8);
        TopicNames topics = TopicNames.withPrefix(id + "-");
        String applicationId = id + "-processor";
        Map<String, String> env = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "TALLY_TOPIC_PREFIX", id + "-",
                "TALLY_APPLICATION_ID", applicationId,
                "TALLY_ADVERTISED_HOST", "127.0.0.1",
                "TALLY_HTTP_HOST", "127.0.0.1",
                "TALLY_PARTITIONS", "3"));
        // What an operator runs once with the broker's admin credentials: topics, SCRAM users, ACLs.
        TallySettings asBroker = TallySettings.fromEnv(new Env(with(env, prefixed(BROKER.clientSettings()))));
        new KafkaSetup(Optional.of(new KafkaSetup.Credentials("ingest", "ingest-secret")),
                Optional.of(new KafkaSetup.Credentials("processor", "processor-secret"))).run(asBroker);
        Map<String, String> ingestEnv = with(env, scramClient("ingest", "ingest-secret"));
        Map<String, String> processorEnv = with(env, scramClient("processor", "processor-secret"));
        ingestEnv.put("TALLY_DATA_DIR", dir.resolve(id + "-ingest").toString());
        processorEnv.put("TALLY_DATA_DIR", dir.resolve(id + "-processor").toString());
        // The credentials reach the broker's metadata shortly after the controller commits them.
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            try (Admin asIngest = Admin.create(adminSettings(ingestEnv))) {
                assertThat(asIngest.describeCluster().nodes().get()).isNotEmpty();
            }
        });

        // Started as ./tally ingest is: its topic check sees only its own topics and may create none.
        try (TallyApp ingest = TallyApp.start(TallySettings.fromEnv(new Env(ingestEnv)).withHttpPort(SharedKafka.freePort()),
                     EnumSet.of(Role.INGEST), false);
             TallyNode processor = TallyNode.start(TallySettings.fromEnv(new Env(processorEnv)).withHttpPort(SharedKafka.freePort()),
                     EnumSet.of(Role.PROCESSOR));
             EventTopic events = new EventTopic(kafka.bootstrapServers(), topics.events(), kafka.adminSettings())) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(processor::isProcessorRunning);
            Http writes = new Http(ingest.port());
            Http reads = new Http(processor.port());
            for (long user = 1; user <= 3; user++) {
                writes.put("/v1/1/likes", "{\"action\":\"increment\",\"user_id\":" + user + "}");
                writes.put("/v1/1/likes", "{\"action\":\"increment\",\"user_id\":" + user + "}");
            }
            for (int view = 0; view < 5; view++) {
                writes.put("/v1/1/views", "{\"action\":\"increment\"}", Map.of("Content-Type", "application/json",
                        "Idempotency-Key", "view-" + view));
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(reads.get("/v1/1").json().get("likes").asLong()).isEqualTo(3);
                assertThat(reads.get("/v1/1").json().get("views").asLong()).isEqualTo(5);
            });
            try (EventTopic changelog = new EventTopic(kafka.bootstrapServers(), applicationId + "-" + StoreNames.COUNTS + "-changelog",
                    kafka.adminSettings())) {
                Map<TopicPartition, Long> eventsBefore = events.endOffsets();
                Map<TopicPartition, Long> changelogBefore = changelog.endOffsets();

                byte[] forgedLike = ("{\"event_id\":\"" + UUID.randomUUID() + "\",\"post_id\":1,\"counter\":\"likes\","
                        + "\"action\":\"increment\",\"user_id\":99,\"timestamp\":\"2026-11-28T00:00:00Z\"}").getBytes(StandardCharsets.UTF_8);
                assertThatThrownBy(() -> send(Map.of(), topics.events(), forgedLike))
                        .hasCauseInstanceOf(TimeoutException.class);
                assertThatThrownBy(() -> send(scramClient("ingest", "wrong"), topics.events(), forgedLike))
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
                assertThatThrownBy(() -> send(scramClient("ingest", "ingest-secret"), applicationId + "-" + StoreNames.COUNTS + "-changelog",
                        new byte[] {99}))
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
                assertThatThrownBy(() -> send(scramClient("ingest", "ingest-secret"), topics.replies(), forgedLike))
                        .hasCauseInstanceOf(TopicAuthorizationException.class);

                assertThat(events.endOffsets()).isEqualTo(eventsBefore);
                assertThat(changelog.endOffsets()).isEqualTo(changelogBefore);
            }
            // A write after the refused ones is counted on top of exactly what was counted before.
            assertThat(writes.put("/v1/1/likes", "{\"action\":\"increment\",\"user_id\":4}").json().get("count").asLong())
                    .isEqualTo(4);
            assertThat(reads.get("/v1/1").json().get("views").asLong()).isEqualTo(5);
        }
    }

    /** One record with a fresh producer of the given extra settings; the send's failure, if any, as its cause. */
    private static void send(Map<String, String> clientSettings, String topic, byte[] value) throws Exception {
        Properties props = new Properties();
        clientSettings.forEach((name, setting) -> props.put(name.startsWith("TALLY_KAFKA_CLIENT_")
                ? name.substring("TALLY_KAFKA_CLIENT_".length()).replace('_', '.').toLowerCase(java.util.Locale.ROOT) : name, setting));
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "3000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "5000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            try {
                producer.send(new ProducerRecord<>(topic, "1".getBytes(StandardCharsets.UTF_8), value)).get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("refused", e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("refused", e);
            }
        }
    }

    private static Map<String, String> scramClient(String user, String password) {
        return Map.of(
                "TALLY_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "TALLY_KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512",
                "TALLY_KAFKA_CLIENT_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user + "\" password=\"" + password + "\";");
    }

    private static Map<String, String> prefixed(Map<String, String> clientSettings) {
        Map<String, String> env = new HashMap<>();
        clientSettings.forEach((name, value) -> env.put("TALLY_KAFKA_CLIENT_" + name.replace('.', '_').toUpperCase(java.util.Locale.ROOT), value));
        return env;
    }

    private static Map<String, Object> adminSettings(Map<String, String> env) {
        Map<String, Object> settings = new HashMap<>();
        TallySettings.fromEnv(new Env(env)).kafka().properties().forEach((name, value) -> settings.put((String) name, value));
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return settings;
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> more) {
        Map<String, String> all = new HashMap<>(base);
        all.putAll(more);
        return all;
    }
}
