package dev.tally.app.support;

import dev.tally.runtime.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Temporary directories of the tests' brokers and nodes, deleted again: a run leaves nothing in /tmp. */
public final class TempDirs {

    private TempDirs() {
    }

    /** A new directory, deleted with everything in it when the test JVM exits (if the test did not delete it). */
    public static Path create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteRecursively(Path dir) {
        Directories.deleteRecursively(dir);
    }
}
