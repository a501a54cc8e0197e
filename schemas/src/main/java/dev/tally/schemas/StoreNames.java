package dev.tally.schemas;

/** The state stores of the stream processor that the query API reads; the processor's own are in its module. */
public final class StoreNames {

    /** {@link CounterKey} to {@link CounterState}. */
    public static final String COUNTS = "counts";
    /** {@link LikeKey} to {@link LikeRegister}: each user's last like or unlike. */
    public static final String LIKERS = "likers";
    /**
     * {@link RegionCounterKey} to {@link CounterState}: a post's counters as changed by each region's events; kept
     * only when there are peer regions.
     */
    public static final String REGION_COUNTS = "region-counts";

    private StoreNames() {
    }
}
