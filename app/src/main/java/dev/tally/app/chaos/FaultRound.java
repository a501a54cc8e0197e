package dev.tally.app.chaos;

/**
 * One injected fault and what it took to get over it, in milliseconds; -1 where it does not apply or did not happen
 * within the wait.
 *
 * @param servedAgainAfter from the fault until every post answered 200 again: through the other processor after a
 *                         processor's death or freeze, through the restarted ingest after an ingest's death, until the
 *                         restarted broker serves with every partition of the event topic fully replicated again
 *                         after a broker's death
 * @param restartToReads   from a killed processor's restart (its JVM's start) until it answers every post itself,
 *                         or from a frozen one's SIGCONT until it does
 */
record FaultRound(FaultKind kind, String target, long start, long end, long servedAgainAfter, long restartToReads) {
}
