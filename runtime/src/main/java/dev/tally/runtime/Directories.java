package dev.tally.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Directory trees that tally makes for a while (fault runs, benchmarks, training runs, tests) and removes again. */
public final class Directories {

    private Directories() {
    }

    /** Deletes the directory and everything in it; nothing if it does not exist. */
    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> deepestFirst;
        try (Stream<Path> paths = Files.walk(root)) {
            deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
        for (Path path : deepestFirst) {
            try {
                Files.delete(path);
            } catch (NoSuchFileException gone) {
                // deleted meanwhile by its owner (a broker closing its logs): what we wanted
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + path, e);
            }
        }
    }
}
