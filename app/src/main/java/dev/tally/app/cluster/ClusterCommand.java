package dev.tally.app.cluster;

import dev.tally.config.Env;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./tally cluster up N} starts N KRaft nodes as background processes on 127.0.0.1 (see {@link LocalCluster};
 * brokers on {@code TALLY_KAFKA_PORT} (9092) and up, controllers on {@code TALLY_KAFKA_CONTROLLER_PORT} (9192) and
 * up, logs and data under {@code $TALLY_DATA_DIR/cluster}), waits until all serve and prints the bootstrap servers;
 * {@code ./tally cluster down} stops them with SIGTERM. The nodes outlive the command: their process ids are kept in
 * {@code cluster/pids}. Started again on the same directory, the nodes keep their topics.
 */
public final class ClusterCommand {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final int firstPort;
    private final int firstControllerPort;
    private final PrintStream out;

    public ClusterCommand(Env env, PrintStream out) {
        this.dir = Path.of(env.string("TALLY_DATA_DIR", "./data")).resolve("cluster");
        this.firstPort = env.integer("TALLY_KAFKA_PORT", 9092);
        this.firstControllerPort = env.integer("TALLY_KAFKA_CONTROLLER_PORT", 9192);
        this.out = out;
    }

    /** Runs {@code up N} or {@code down}; returns the exit status. */
    public int run(List<String> args) {
        if (args.size() == 2 && args.get(0).equals("up") && args.get(1).matches("[1-9]")) {
            return up(Integer.parseInt(args.get(1)));
        }
        if (args.size() == 1 && args.get(0).equals("down")) {
            return down();
        }
        out.println("usage: tally cluster up N   (N from 1 to 9; 3 for replication 3 and min.insync.replicas 2)");
        out.println("       tally cluster down");
        return 2;
    }

    private int up(int size) {
        if (!running().isEmpty()) {
            out.println("a cluster runs already (pids in " + pids() + "); tally cluster down first");
            return 1;
        }
        LocalCluster cluster = LocalCluster.start(dir, size, firstPort, firstControllerPort, START_TIMEOUT);
        List<String> lines = new ArrayList<>();
        cluster.brokers().forEach((id, broker) -> lines.add(id + " " + broker.pid()));
        write(lines);
        out.println(cluster.bootstrapServers());
        return 0;
    }

    private int down() {
        List<ProcessHandle> nodes = running();
        nodes.forEach(ProcessHandle::destroy);
        for (ProcessHandle node : nodes) {
            try {
                node.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception stillRunning) {
                node.destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(pids());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println("stopped " + nodes.size() + " node(s)");
        return 0;
    }

    /**
     * The nodes of the pid file that still run: started before the file was written, so not another process that
     * was given a reused pid later.
     */
    private List<ProcessHandle> running() {
        if (!Files.exists(pids())) {
            return List.of();
        }
        try {
            java.time.Instant written = Files.getLastModifiedTime(pids()).toInstant().plusSeconds(1);
            return Files.readAllLines(pids()).stream().filter(line -> !line.isBlank())
                    .map(line -> ProcessHandle.of(Long.parseLong(line.split(" ")[1])))
                    .flatMap(Optional::stream)
                    .filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.info().startInstant().map(started -> started.isBefore(written)).orElse(true))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(List<String> lines) {
        try {
            Files.createDirectories(dir);
            Files.write(pids(), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path pids() {
        return dir.resolve("pids");
    }
}
