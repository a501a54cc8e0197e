package dev.tally.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document passes Redocly's linter (its recommended rules; warnings allowed, errors not), the same check
 * a reader's tools apply. Runs {@code npx --yes @redocly/cli@VERSION lint}: skipped where {@code npx} is missing
 * (.ci/run installs npm), and it needs the npm registry the first time.
 */
class OpenApiLintTest {

    /** Pinned: a new linter version may add rules, and that should be a change of this line, not a red build. */
    static final String REDOCLY_CLI = "@redocly/cli@2.77.0";
    private static final Path DOCUMENT = Path.of("src/main/resources/dev/tally/schemas/openapi.yaml");

    @Test
    void shouldPassRedoclyLint() throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("npx"), "skipped: npx is not installed (apt-get install npm)");
        assertThat(DOCUMENT).exists();
        Path output = Files.createTempFile("redocly-lint", ".log");
        try {
            Process lint = new ProcessBuilder(List.of("npx", "--yes", REDOCLY_CLI, "lint", "--format=stylish",
                    DOCUMENT.toAbsolutePath().toString()))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean done = lint.waitFor(5, TimeUnit.MINUTES);
            if (!done) {
                lint.destroyForcibly();
            }
            String report = Files.readString(output);
            assertThat(done).as("redocly lint finished in 5 minutes: %s", report).isTrue();
            assertThat(lint.exitValue()).as("redocly lint found errors:%n%s", report).isZero();
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
