package dev.tally.app.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorTest {

    @Test
    void shouldQuoteTheLastErrorOfANodesLogAndSkipStackFrames(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("processor-1.log");
        Files.writeString(log, String.join("\n",
                "10:00:00.000 INFO  [main] d.t.a.TallyApp - tally [PROCESSOR] serving on http://127.0.0.1:20001",
                "10:00:01.000 ERROR [main] d.t.a.TallyMain - tally failed to start",
                "java.io.IOException: Failed to bind to /127.0.0.1:20001",
                "\tat org.eclipse.jetty.server.ServerConnector.openAcceptChannel(ServerConnector.java:344)",
                "10:00:02.000 WARN  [main] o.a.k.c.NetworkClient - Connection to node 1 could not be established"));

        assertThat(Supervisor.lastError(log)).contains("java.io.IOException: Failed to bind to /127.0.0.1:20001");
    }

    @Test
    void shouldFindNoErrorInAQuietLogOrAMissingOne(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("ingest-1.log");
        Files.writeString(log, "10:00:00.000 INFO  [main] d.t.a.TallyApp - tally [INGEST] serving on http://127.0.0.1:20002\n");

        assertThat(Supervisor.lastError(log)).isEmpty();
        assertThat(Supervisor.lastError(dir.resolve("absent.log"))).isEmpty();
    }
}
