package dev.tally.app.chaos;

import dev.tally.app.cluster.LocalProcess;
import dev.tally.runtime.Daemons;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the platform's supervisor (systemd, Kubernetes) does for the run's nodes, so one node that fails to come back
 * is a finding of the run rather than the end of it: it starts again a node that exited by itself, and kills (after
 * saving its threads) and starts again a tally instance whose {@code /health/live} has not answered for
 * {@link #LIVENESS}, as a liveness probe would, or, since it was started, for {@link #STARTUP}, as a startup probe
 * would: a JVM started on two cores shared by seven others was seen to get 3 s of CPU in its first 48 s, still
 * loading classes, and a liveness deadline alone killed it before it could serve. Faults take nodes down on purpose: the injector holds a node down
 * while its fault lasts. Every intervention is reported with its evidence (the exit code and the last error in the
 * node's log, or the file of its thread dump).
 */
final class Supervisor implements AutoCloseable {

    static final Duration LIVENESS = Duration.ofSeconds(45);
    static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Duration PROBE_EVERY = Duration.ofSeconds(1);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    /** One start the supervisor made, and why. */
    record Intervention(String node, long at, String reason, String evidence) {
    }

    private final List<LocalProcess> brokers;
    private final List<TallyInstance> instances;
    private final ChaosHttp http;
    private final Timeline timeline;
    private final Path dir;
    private final Set<String> heldDown = new HashSet<>();
    private final Map<String, Long> lastAlive = new ConcurrentHashMap<>();
    /** Nodes started (by a fault's end or by this supervisor) that have not answered since. */
    private final Set<String> starting = ConcurrentHashMap.newKeySet();
    private final List<Intervention> interventions = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService probes = Daemons.scheduler("chaos-supervisor");

    Supervisor(Deployment deployment, ChaosHttp http, Timeline timeline, Path dir) {
        this.brokers = List.copyOf(deployment.brokers().brokers().values());
        this.instances = deployment.instances();
        this.http = http;
        this.timeline = timeline;
        this.dir = dir;
        instances.forEach(instance -> lastAlive.put(instance.name(), timeline.now()));
        probes.scheduleWithFixedDelay(this::probe, PROBE_EVERY.toMillis(), PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The node is going down on purpose (killed or frozen by a fault): leave it alone until {@link #release}. */
    synchronized void holdDown(LocalProcess node) {
        heldDown.add(node.name());
    }

    /** The fault is over and the node started (or thawed) again: watch it, its start counting as a sign of life. */
    synchronized void release(LocalProcess node) {
        heldDown.remove(node.name());
        started(node);
    }

    private void started(LocalProcess node) {
        lastAlive.put(node.name(), timeline.now());
        starting.add(node.name());
    }

    List<Intervention> interventions() {
        return List.copyOf(interventions);
    }

    private void probe() {
        try {
            for (LocalProcess broker : brokers) {
                restartIfExited(broker);
            }
            for (TallyInstance instance : instances) {
                if (!restartIfExited(instance.process()) && answersLive(instance)) {
                    lastAlive.put(instance.name(), timeline.now());
                    starting.remove(instance.name());
                }
                restartIfSilent(instance);
            }
        } catch (RuntimeException e) {
            interventions.add(new Intervention("supervisor", timeline.now(), "probe failed", String.valueOf(e)));
        }
    }

    private synchronized boolean restartIfExited(LocalProcess node) {
        OptionalInt exit = node.exitCode();
        if (heldDown.contains(node.name()) || exit.isEmpty()) {
            return false;
        }
        interventions.add(new Intervention(node.name(), timeline.now(), "exited with " + exit.getAsInt(),
                lastError(node.log()).orElse("no error in " + node.log())));
        node.start();
        started(node);
        return true;
    }

    private boolean answersLive(TallyInstance instance) {
        return http.get(instance.base() + "/health/live", PROBE_TIMEOUT).status() == 200;
    }

    private synchronized void restartIfSilent(TallyInstance instance) {
        LocalProcess node = instance.process();
        long silentFor = timeline.now() - lastAlive.getOrDefault(instance.name(), timeline.now());
        Duration allowed = starting.contains(node.name()) ? STARTUP : LIVENESS;
        if (heldDown.contains(node.name()) || !node.isAlive() || silentFor < allowed.toMillis()) {
            return;
        }
        String dump = threadDump(node);
        node.kill();
        node.start();
        started(node);
        interventions.add(new Intervention(node.name(), timeline.now(),
                "/health/live silent for " + silentFor / 1000 + " s: killed and started", dump));
    }

    /** The node's threads, saved beside its log by the JDK's jcmd; the report names the file. */
    private String threadDump(LocalProcess node) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Path file = dir.toAbsolutePath().resolve(node.name() + "-threads-" + timeline.now() + ".txt");
        if (!Files.isExecutable(jcmd)) {
            return "no thread dump: " + jcmd + " missing";
        }
        try {
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(node.pid()), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(file.toFile()).start();
            return dump.waitFor(20, TimeUnit.SECONDS) ? "threads in " + file : "jcmd did not answer within 20 s";
        } catch (IOException e) {
            return "no thread dump: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "no thread dump: interrupted";
        }
    }

    /** The last line of the log that says ERROR or names an exception, shortened: what a reader looks for first. */
    static Optional<String> lastError(Path log) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
        List<String> errors = new ArrayList<>();
        for (String line : lines) {
            if (line.contains(" ERROR ") || (line.contains("Exception") && !line.startsWith("\tat "))) {
                errors.add(line);
            }
        }
        return errors.isEmpty() ? Optional.empty()
                : Optional.of(errors.get(errors.size() - 1).substring(0, Math.min(400, errors.get(errors.size() - 1).length())));
    }

    @Override
    public void close() {
        Daemons.stop(probes, Duration.ofSeconds(30));
    }
}
