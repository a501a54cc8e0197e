package dev.tally.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanShutdownMarkerTest {

    @Test
    void shouldSayACleanCloseOnlyOnceSoThatARunThatDiesLaterLeavesNone(@TempDir Path stateDir) {
        CleanShutdownMarker marker = new CleanShutdownMarker(stateDir.resolve("streams"));
        assertThat(marker.takeAway()).as("a first start: no run before it").isFalse();

        marker.leave();
        assertThat(stateDir.resolve("streams").resolve(CleanShutdownMarker.FILE_NAME)).exists();
        assertThat(new CleanShutdownMarker(stateDir.resolve("streams")).takeAway()).as("the next start").isTrue();
        assertThat(new CleanShutdownMarker(stateDir.resolve("streams")).takeAway())
                .as("a start after a run that was killed").isFalse();
    }
}
