package dev.tally.app.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports free on this machine now, for nodes started on 127.0.0.1 by tests and fault runs, chosen below the kernel's
 * ephemeral range. A node killed and restarted binds its port again; a port inside that range can meanwhile be taken
 * as the local end of any outgoing connection, even by a client retrying that very port (TCP connects a socket to
 * itself when source and destination match), and the restarted node then fails to bind.
 */
public final class FreePorts {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default start of the ephemeral range, for machines that do not say theirs. */
    private static final int DEFAULT_EPHEMERAL_LOW = 32_768;
    private static final int LOWEST = 10_000;

    private FreePorts() {
    }

    /** {@code count} consecutive ports, free on 127.0.0.1 now and below the ephemeral range. */
    public static int block(int count) {
        int ceiling = ephemeralLow();
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = ThreadLocalRandom.current().nextInt(LOWEST, ceiling - count);
            if (allFree(first, count)) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports between " + LOWEST + " and " + ceiling);
    }

    /** The first port the kernel may hand out to an outgoing connection. */
    static int ephemeralLow() {
        try {
            String[] range = Files.readString(EPHEMERAL_RANGE).trim().split("\\s+");
            int low = Integer.parseInt(range[0]);
            return low > LOWEST + 1_000 ? low : DEFAULT_EPHEMERAL_LOW;
        } catch (IOException | RuntimeException unknown) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}
