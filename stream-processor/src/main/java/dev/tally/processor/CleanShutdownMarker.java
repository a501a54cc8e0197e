package dev.tally.processor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file in the state directory that says the last run closed Kafka Streams cleanly. It is written once a close
 * returned and taken away at the next start, so a run that dies (kill -9, power loss, out of memory) leaves none.
 */
final class CleanShutdownMarker {

    static final String FILE_NAME = "tally-clean-shutdown";

    private final Path file;

    CleanShutdownMarker(Path stateDir) {
        this.file = stateDir.resolve(FILE_NAME);
    }

    /** Whether the last run left the marker; the marker is gone afterwards, whatever happens to this run. */
    boolean takeAway() {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
    }

    void leave() {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "Kafka Streams closed cleanly; this file is taken away at the next start\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
