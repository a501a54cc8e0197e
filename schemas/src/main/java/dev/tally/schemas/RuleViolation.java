package dev.tally.schemas;

/**
 * An event, or a write that would become one, breaks one of the {@link EventRules}. The message is what ingest
 * answers with in its 400 and what the processor writes into the dead letter's reason header, so it names the
 * field and never spans more than one line.
 */
public final class RuleViolation extends IllegalArgumentException {

    public RuleViolation(String message) {
        super(message);
    }

    /** No stack trace: a violation is an expected answer to bad input, not a failure of tally. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
