package dev.tally.app.chaos;

/** The faults a chaos run injects, each followed by a restart of what it broke. */
public enum FaultKind {
    /** kill -9 of the broker that leads most partitions of the event topic. */
    LEADER_BROKER_KILL,
    /** kill -9 of the active KRaft controller. */
    CONTROLLER_KILL,
    /** kill -9 of a processor. */
    PROCESSOR_KILL,
    /** SIGSTOP of a processor for longer than its session timeout, then SIGCONT: it comes back a fenced zombie. */
    PROCESSOR_PAUSE,
    /** kill -9 of an ingest instance. */
    INGEST_KILL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
