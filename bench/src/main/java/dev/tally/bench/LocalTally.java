package dev.tally.bench;

import dev.tally.app.Role;
import dev.tally.app.TallyApp;
import dev.tally.app.TallySettings;
import dev.tally.app.cluster.FreePorts;
import dev.tally.config.Env;
import dev.tally.runtime.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole tally (embedded broker, ingest, processor, query) in this JVM, in a temporary directory on free loopback
 * ports, as {@code ./tally run} would start it. The environment passes through, so {@code TALLY_COMMIT_INTERVAL_MS}
 * and friends tune it exactly as they tune {@code ./tally run}. Closing it stops it and deletes its data.
 */
final class LocalTally implements AutoCloseable {

    private final TallyApp app;
    private final TallySettings settings;
    private final Path dataDir;
    private final boolean keepData;
    private boolean stopped;

    private LocalTally(TallyApp app, TallySettings settings, Path dataDir, boolean keepData) {
        this.app = app;
        this.settings = settings;
        this.dataDir = dataDir;
        this.keepData = keepData;
    }

    static LocalTally start() {
        return start(Optional.empty());
    }

    /**
     * {@code keptDataDir}: run on that directory and keep it, with the ports of TALLY_HTTP_PORT, TALLY_KAFKA_PORT and
     * TALLY_KAFKA_CONTROLLER_PORT when they are set, so that {@code ./tally run} can start again on the same data
     * (compare.sh times that start).
     */
    static LocalTally start(Optional<Path> keptDataDir) {
        Path dir;
        try {
            dir = keptDataDir.isPresent() ? Files.createDirectories(keptDataDir.get()) : Files.createTempDirectory("tally-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("KAFKA_BOOTSTRAP_SERVERS");
        env.put("TALLY_DATA_DIR", dir.toString());
        env.put("TALLY_HTTP_HOST", "127.0.0.1");
        env.put("TALLY_ADVERTISED_HOST", "127.0.0.1");
        for (String port : List.of("TALLY_HTTP_PORT", "TALLY_KAFKA_PORT", "TALLY_KAFKA_CONTROLLER_PORT")) {
            if (keptDataDir.isEmpty() || !env.containsKey(port)) {
                env.put(port, Integer.toString(freePort()));
            }
        }
        TallySettings settings = TallySettings.fromEnv(new Env(env));
        TallyApp app = TallyApp.start(settings, EnumSet.allOf(Role.class), true);
        LocalTally tally = new LocalTally(app, settings, dir, keptDataDir.isPresent());
        try {
            Waits.until("the processor is running", 60, app.node()::isProcessorRunning);
            Waits.until("tally answers ready", 60, () -> Probe.status(tally.url() + "/health/ready") == 200);
        } catch (RuntimeException e) {
            tally.close();
            throw e;
        }
        return tally;
    }

    String url() {
        return "http://127.0.0.1:" + app.port();
    }

    String bootstrapServers() {
        return app.bootstrapServers();
    }

    TallySettings settings() {
        return settings;
    }

    String applicationId() {
        return app.settings().processor().applicationId();
    }

    TallyApp app() {
        return app;
    }

    Path dataDir() {
        return dataDir;
    }

    /** Stops tally but keeps its files, so they can be measured. */
    void stop() {
        if (!stopped) {
            stopped = true;
            app.close();
        }
    }

    @Override
    public void close() {
        stop();
        if (!keepData) {
            Directories.deleteRecursively(dataDir);
        }
    }

    static int freePort() {
        return FreePorts.block(1);
    }
}
