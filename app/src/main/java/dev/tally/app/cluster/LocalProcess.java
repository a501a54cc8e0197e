package dev.tally.app.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * One {@code ./tally <command>} in a JVM of its own on this machine, started with this JVM's class path, its output
 * in a log file. It can be stopped as an operator would (SIGTERM), killed as a crashed machine would be (SIGKILL:
 * no shutdown hook, no commit, no goodbye to the group), frozen (SIGSTOP, a long GC pause or a stalled VM) and
 * thawed (SIGCONT), and started again with the same environment, on the same data.
 */
public final class LocalProcess {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The class-data archive this JVM was started with by the launcher (same java, same class path, so valid for the
     * children too): a restarted node on a machine short of CPU spends most of its start loading classes.
     */
    private static final List<String> CLASS_DATA = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(option -> option.startsWith("-XX:SharedArchiveFile=") || option.startsWith("-Xlog:cds"))
            .toList();

    private final String name;
    private final String command;
    private final Map<String, String> env;
    private final Path log;
    private final List<String> jvmOptions;
    private volatile Process process;

    public LocalProcess(String name, String command, Map<String, String> env, Path log, List<String> jvmOptions) {
        this.name = name;
        this.command = command;
        this.env = Map.copyOf(env);
        this.log = log;
        this.jvmOptions = List.copyOf(jvmOptions);
    }

    /** Starts the JVM and returns at once; whether it serves is for the caller to wait for. */
    public synchronized LocalProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running already");
        }
        List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        line.addAll(CLASS_DATA);
        line.addAll(jvmOptions);
        line.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.tally.app.TallyMain", command));
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            process = builder.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        Process running = process;
        if (running == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return running.pid();
    }

    /** The exit code of a process that ended, empty while it runs or before it started. */
    public OptionalInt exitCode() {
        Process running = process;
        return running == null || running.isAlive() ? OptionalInt.empty() : OptionalInt.of(running.exitValue());
    }

    public boolean isAlive() {
        Process running = process;
        return running != null && running.isAlive();
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
            waitFor(running, STOP_TIMEOUT);
        }
    }

    /** SIGTERM (shutdown hooks run: the node closes cleanly), SIGKILL after 30 s. */
    public void stop() {
        Process running = process;
        if (running != null && running.isAlive()) {
            running.destroy();
            if (!waitFor(running, STOP_TIMEOUT)) {
                kill();
            }
        }
    }

    /** SIGSTOP: the process keeps its sockets but does nothing, not even heartbeats. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return name + (isAlive() ? " (pid " + pid() + ")" : " (not running)");
    }
}
