package dev.tally.app.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code ./tally mirror} in a JVM of its own, as the launcher starts it: {@code dev.tally.mirror.MirrorMain} on the
 * mirror module's Kafka 4.3.1 class path (its classes and {@code target/runtime-classpath.txt}, written by the build
 * before the tests), never this JVM's 4.4 one. Killable without warning: SIGKILL leaves no chance to finish a
 * transaction or commit an offset.
 */
public final class MirrorProcess implements AutoCloseable {

    private static final Path MODULE = Path.of("..", "mirror", "target");

    private final Process process;
    private final Path log;

    private MirrorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts a mirror with the given environment (TALLY_REGION, TALLY_PEER_REGIONS, TALLY_MIRROR_CLUSTERS, ...). */
    public static MirrorProcess start(String name, Map<String, String> env) {
        try {
            Path classpathFile = MODULE.resolve("runtime-classpath.txt");
            if (!Files.exists(classpathFile)) {
                throw new IllegalStateException(classpathFile + " is missing: build the mirror module first"
                        + " (mvn -pl app -am test builds it)");
            }
            String classpath = MODULE.resolve("classes").toAbsolutePath() + java.io.File.pathSeparator
                    + Files.readString(classpathFile).trim();
            Path log = Files.createTempFile(Path.of("target"), "mirror-" + name + "-", ".log");
            ProcessBuilder builder = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath, "dev.tally.mirror.MirrorMain")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("TALLY_") || key.startsWith("KAFKA_"));
            builder.environment().putAll(env);
            return new MirrorProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGKILL, and wait until the process is gone. */
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
