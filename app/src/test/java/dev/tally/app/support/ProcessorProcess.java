package dev.tally.app.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * {@code tally processor} in a JVM of its own, started as the launcher would ({@code dev.tally.app.TallyMain
 * processor} on this JVM's class path) and killable without warning, as a crashed machine would be: no shutdown
 * hook, no commit, no leaving the group.
 */
public final class ProcessorProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ProcessorProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the processor on the given node's state and waits until its streams are running. */
    public static ProcessorProcess start(TallyFixture tally, String name) {
        ProcessorProcess started = launch(tally, name, SharedKafka.freePort(), Map.of());
        started.awaitReady();
        return started;
    }

    /**
     * Starts the processor on the given node's state and HTTP port, with extra settings, and returns at once. The
     * same name and port after a kill are the same instance to the group: the same state and static member id.
     */
    public static ProcessorProcess launch(TallyFixture tally, String name, int port, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(tally.envFor(name));
        env.putAll(settings);
        env.put("KAFKA_BOOTSTRAP_SERVERS", tally.bootstrapServers());
        env.put("TALLY_HTTP_PORT", Integer.toString(port));
        try {
            Path log = Files.createTempFile("tally-" + name + "-", ".log");
            ProcessBuilder builder = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-cp", System.getProperty("java.class.path"), "dev.tally.app.TallyMain", "processor")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            return new ProcessorProcess(builder.start(), port, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the processor answers ready: its streams have run. */
    public void awaitReady() {
        Http http = new Http(port);
        try {
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("processor exited with " + process.exitValue() + "; see " + log);
                        }
                        return http.get("/health/ready").status() == 200;
                    });
        } catch (RuntimeException e) {
            kill();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /**
     * A meter of the processor as its {@code /metrics} serves it to Prometheus, such as
     * {@code tally_processor_restores_from_start_total}.
     */
    public double meter(String name) {
        String scrape = new Http(port).get("/metrics").body();
        return scrape.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new IllegalStateException(name + " is not served"));
    }

    public File log() {
        return log.toFile();
    }

    /** SIGKILL: the processor gets no chance to commit, flush or say goodbye. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }
}
