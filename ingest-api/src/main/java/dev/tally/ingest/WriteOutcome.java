package dev.tally.ingest;

import dev.tally.schemas.CounterUpdate;
import java.util.UUID;

/** What became of a write that reached the event topic: counted with a known count, or durable and yet to be counted. */
sealed interface WriteOutcome {

    /** The processor applied the event: the count includes this write. */
    record Counted(CounterUpdate update) implements WriteOutcome {
    }

    /** The append is durable and will be counted exactly once; its count was not waited for, or not in time. */
    record Accepted(UUID eventId) implements WriteOutcome {
    }
}
