package dev.tally.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The name an instance gives itself in Kafka's consumer groups ({@code group.instance.id}, static membership): the
 * same after a restart, so that an instance back from a crash takes its partitions back at once instead of waiting
 * out its dead self's session (45 s by default), and unique among the instances of a group. {@code TALLY_INSTANCE_ID},
 * or {@code tally-<advertised host>-<port>}.
 */
public final class GroupMember {

    private GroupMember() {
    }

    public static String fromEnv(Env env, String applicationServer) {
        return env.string("TALLY_INSTANCE_ID", defaultId(applicationServer));
    }

    /** This machine's host name (a container's is its id), or {@code localhost} when it has none. */
    public static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** {@code tally-<host>-<port>}: Kafka allows only letters, digits, '.', '_' and '-' in a group instance id. */
    public static String defaultId(String applicationServer) {
        return "tally-" + applicationServer.replaceAll("[^A-Za-z0-9._-]", "-");
    }
}
