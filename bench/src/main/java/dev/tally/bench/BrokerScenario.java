package dev.tally.bench;

import dev.tally.app.EmbeddedKafka;
import dev.tally.runtime.Directories;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The same embedded single-node broker tally runs on, alone, with a 6-partition topic {@code perf}, for Kafka's
 * own ProducerPerformance (run by compare.sh in another JVM). Prints its address, serves for --duration, then stops
 * and deletes its data: it never outlives the comparison.
 */
final class BrokerScenario {

    static final String TOPIC = "perf";

    private final BenchOptions options;
    private final PrintStream out;

    BrokerScenario(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    void run() {
        Path dir;
        try {
            dir = Files.createTempDirectory("tally-broker");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(dir, LocalTally.freePort(), LocalTally.freePort());
        Thread cleanUp = new Thread(() -> {
            kafka.close();
            Directories.deleteRecursively(dir);
        }, "broker-stop");
        // compare.sh stops this process once ProducerPerformance is done; the hook still removes the data.
        Runtime.getRuntime().addShutdownHook(cleanUp);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the topic " + TOPIC, e);
        }
        out.println("broker ready: " + kafka.bootstrapServers() + " topic " + TOPIC);
        out.flush();
        Waits.sleep(options.duration().toMillis());
    }
}
