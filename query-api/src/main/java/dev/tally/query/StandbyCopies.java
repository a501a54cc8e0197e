package dev.tally.query;

/** Which of this instance's standby copies may answer a read: {@link StandbyFreshness} verifies them. */
@FunctionalInterface
public interface StandbyCopies {

    /** Whether the standby copy here of the store's partition holds every committed change of its changelog. */
    boolean caughtUp(String store, int partition);
}
