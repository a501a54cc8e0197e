package dev.tally.schemas;

/** The state stores of the stream processor that the query API reads; the processor's own are in its module. */
public final class StoreNames {

    /** {@link CounterKey} to {@link CounterState}. */
    public static final String COUNTS = "counts";
    /** {@link LikeKey} to a one-byte marker: the users whose like is counted. */
    public static final String LIKERS = "likers";

    private StoreNames() {
    }
}
