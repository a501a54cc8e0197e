package dev.tally.app;

/** What a tally process serves. {@code ./tally run} is both; scaled deployments run each alone. */
public enum Role {
    /** The write API: validates and appends events. */
    INGEST,
    /** The stream processor and, since interactive queries live with the state, the read API. */
    PROCESSOR
}
