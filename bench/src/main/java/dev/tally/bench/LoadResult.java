package dev.tally.bench;

import org.HdrHistogram.Histogram;

/**
 * What one load run measured, over its measurement window (after the warm-up).
 *
 * @param mode            "closed-loop" (each connection sends when answered) or "fixed-rate" (open loop)
 * @param latency         microseconds per request as the client saw them: from the intended start at a fixed rate,
 *                        from the send in closed loop
 * @param corrected       latency corrected for coordinated omission: equal to latency at a fixed rate; in closed
 *                        loop, HdrHistogram's correction with the mean per-connection interval
 * @param events          counter events carried by requests answered 2xx
 * @param eventsConfirmed events answered 200, i.e. already counted by the processor (read-your-writes)
 */
record LoadResult(
        String workload,
        String mode,
        int connections,
        double targetRate,
        double seconds,
        long requests,
        long ok,
        long accepted,
        long failed,
        long errors,
        long events,
        long eventsConfirmed,
        Histogram latency,
        Histogram corrected) {

    double requestsPerSecond() {
        return ok / seconds;
    }

    double eventsPerSecond() {
        return events / seconds;
    }

    double confirmedEventsPerSecond() {
        return eventsConfirmed / seconds;
    }

    Latency summary() {
        return Latency.of(corrected);
    }

    Latency rawSummary() {
        return Latency.of(latency);
    }
}
