package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The launcher's training run: what the class-data archive is written from must be a real start, a counted write and
 * reads, and must leave nothing behind (the archive itself is the JVM's work, checked by the launcher's rename).
 */
@Tag("integration")
class ClassDataTrainingTest {

    @Test
    void shouldStartAWholeTallyCountAWriteAndLeaveNoDirectoryBehind() throws Exception {
        List<Path> before = trainingDirs();

        assertThat(ClassDataTraining.run()).as("exit code: 0 once the PUT answered 200 with its count").isZero();

        assertThat(trainingDirs()).isEqualTo(before);
    }

    private static List<Path> trainingDirs() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(dir -> dir.getFileName().toString().startsWith("tally-cds-training")).sorted().toList();
        }
    }
}
