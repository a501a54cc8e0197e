package dev.tally.schemas;

/** The state stores of the stream processor, shared with the query API that reads them. */
public final class StoreNames {

    /** {@link CounterKey} to {@link CounterState}. */
    public static final String COUNTS = "counts";
    /** {@link LikeKey} to a one-byte marker: the users whose like is counted. */
    public static final String LIKERS = "likers";
    /** {@link IdempotencyKey} to {@link AppliedWrite}, a window store that forgets keys after the dedup window. */
    public static final String IDEMPOTENCY = "idempotency-keys";

    private StoreNames() {
    }
}
