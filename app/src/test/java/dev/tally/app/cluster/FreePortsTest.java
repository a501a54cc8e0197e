package dev.tally.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void shouldHandOutPortsBelowTheEphemeralRangeThatCanBeBound() throws IOException {
        int first = FreePorts.block(6);

        assertThat(first).isGreaterThanOrEqualTo(10_000);
        assertThat(first + 6).isLessThanOrEqualTo(FreePorts.ephemeralLow());
        for (int port = first; port < first + 6; port++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
