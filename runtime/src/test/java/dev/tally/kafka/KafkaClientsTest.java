package dev.tally.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.config.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientsTest {

    @Test
    void shouldGiveEveryClientTheBootstrapServersAndNothingElseByDefault() {
        KafkaClients clients = KafkaClients.fromEnv(new Env(Map.of()), "kafka-1:9092,kafka-2:9092");

        assertThat(clients.properties()).containsOnly(Map.entry("bootstrap.servers", "kafka-1:9092,kafka-2:9092"));
    }

    @Test
    void shouldMapPrefixedVariablesToClientProperties() {
        KafkaClients clients = KafkaClients.fromEnv(new Env(Map.of(
                "TALLY_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
                "TALLY_KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512",
                "TALLY_KAFKA_PORT", "9092")), "kafka:9092");

        assertThat(clients.properties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .doesNotContainKey("port")
                .hasSize(3);
    }

    @Test
    void shouldReadAKafkaCommandConfigFileAndLetAVariableWinOverIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, """
                security.protocol=SASL_PLAINTEXT
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                  username="ingest" password="secret";
                """);
        KafkaClients clients = KafkaClients.fromEnv(new Env(Map.of(
                "TALLY_KAFKA_CONFIG", file.toString(),
                "TALLY_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL")), "kafka:9092");

        assertThat(clients.properties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"ingest\" password=\"secret\";");
    }

    @Test
    void shouldRefuseAMissingConfigFileAndBootstrapServersAsAnExtraSetting() {
        assertThatThrownBy(() -> KafkaClients.fromEnv(new Env(Map.of("TALLY_KAFKA_CONFIG", "/no/such/file")), "kafka:9092"))
                .hasMessageContaining("TALLY_KAFKA_CONFIG");
        assertThatThrownBy(() -> KafkaClients.fromEnv(
                new Env(Map.of("TALLY_KAFKA_CLIENT_BOOTSTRAP_SERVERS", "elsewhere:9092")), "kafka:9092"))
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void shouldHandEachClientItsOwnCopy() {
        KafkaClients clients = KafkaClients.plain("kafka:9092");
        clients.properties().put("acks", "0");

        assertThat(clients.properties()).doesNotContainKey("acks");
    }

    @Test
    void shouldGiveANewsReaderCommittedRecordsFromTheEndAndNoOffsetsOnTopOfTheExtras() {
        KafkaClients clients = new KafkaClients("kafka:9092", Map.of("security.protocol", "SASL_SSL"));

        assertThat(clients.latestCommittedReader("tail-1"))
                .containsEntry("client.id", "tail-1")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("auto.offset.reset", "latest")
                .containsEntry("enable.auto.commit", "false")
                .containsEntry("security.protocol", "SASL_SSL");
    }
}
