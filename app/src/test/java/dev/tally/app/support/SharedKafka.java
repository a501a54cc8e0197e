package dev.tally.app.support;

import dev.tally.app.EmbeddedKafka;
import dev.tally.app.cluster.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real single-node KRaft broker for the whole test JVM, started on first use on free loopback ports and
 * stopped when the JVM exits. Tests isolate themselves with unique topic prefixes and application ids
 * ({@link TallyFixture}), not with brokers of their own: a broker takes seconds to start on two cores.
 */
public final class SharedKafka {

    private static EmbeddedKafka kafka;

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (kafka == null) {
            Path dir;
            try {
                dir = Files.createTempDirectory("tally-kafka");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedKafka started = EmbeddedKafka.start(dir, freePort(), freePort());
            kafka = started;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                started.close();
                TempDirs.deleteRecursively(dir);
            }));
        }
        return kafka.bootstrapServers();
    }

    /** A free port below the ephemeral range, so a node restarted on it finds it free again. */
    public static int freePort() {
        return FreePorts.block(1);
    }
}
