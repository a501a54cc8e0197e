package dev.tally.ingest;

import dev.tally.http.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the write routes did with the requests they got, as Prometheus sees it: {@code tally_write_answers_total}
 * by status (200 with the new count, 202 accepted before the processor confirmed, 503 not appended),
 * {@code tally_events_rejected_total} by the error code of the refusal, and {@code tally_events_folded_total}, the
 * anonymous writes that rode on another write's event instead of costing a record of their own.
 *
 * <p>Repeats of an Idempotency-Key are not counted here: ingest appends every copy, and only the processor knows
 * which copy was first.
 */
public final class IngestMeters {

    public static final String ANSWERS = "tally.write.answers";
    public static final String REJECTED = "tally.events.rejected";
    public static final String FOLDED = "tally.events.folded";

    private final MeterRegistry registry;
    private final Counter folded;

    public IngestMeters(MeterRegistry registry) {
        this.registry = registry;
        this.folded = Counter.builder(FOLDED).description("anonymous writes folded into another write's event")
                .register(registry);
    }

    void answered(int status) {
        Counter.builder(ANSWERS).description("answers to writes, by status").tag("status", Integer.toString(status))
                .register(registry).increment();
    }

    void rejected(ApiException refusal) {
        Counter.builder(REJECTED).description("writes refused before anything was appended, by error code")
                .tag("reason", refusal.code()).register(registry).increment();
    }

    void folded() {
        folded.increment();
    }
}
