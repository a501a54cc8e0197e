package dev.tally.app.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Ports free on this machine now, for nodes started on 127.0.0.1 by tests and fault runs. */
public final class FreePorts {

    private FreePorts() {
    }

    /** {@code count} consecutive ports that are free on 127.0.0.1 now. */
    public static int block(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int first;
            try (ServerSocket probe = new ServerSocket(0)) {
                first = probe.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (first + count < 65_000 && allFree(first, count)) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports");
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket socket = new ServerSocket(port)) {
                socket.setReuseAddress(true);
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}
