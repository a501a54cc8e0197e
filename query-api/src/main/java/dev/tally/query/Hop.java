package dev.tally.query;

/**
 * How a read reached this instance, carried between instances in {@link RemoteCounts#FORWARDED_HEADER}: it decides
 * which copies of the counts may answer and whether the read may travel on. A read travels at most once, so it
 * never loops while partitions move.
 */
public enum Hop {

    /** From a client: answered from here, or forwarded once to the owner or to a standby copy. */
    CLIENT(null),
    /** Forwarded to the owner: answered from the active copy here, or refused (503). */
    TO_OWNER("1"),
    /**
     * Forwarded because the owner's copy is being restored (a restarted owner that took its partitions back
     * before its store was whole): answered from the copy here, active or standby, or refused. The standby copy
     * holds every committed change, which is all a restoring owner will hold once it is back.
     */
    TO_STANDBY("standby");

    private final String header;

    Hop(String header) {
        this.header = header;
    }

    /** The value of {@link RemoteCounts#FORWARDED_HEADER} for a read sent this way. */
    String header() {
        return header;
    }

    /** The hop of a read whose {@link RemoteCounts#FORWARDED_HEADER} is {@code header} (null when absent). */
    static Hop ofHeader(String header) {
        if (header == null) {
            return CLIENT;
        }
        return TO_STANDBY.header.equals(header) ? TO_STANDBY : TO_OWNER;
    }
}
