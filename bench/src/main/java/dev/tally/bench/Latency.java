package dev.tally.bench;

import org.HdrHistogram.Histogram;

/** The percentiles tally reports, in milliseconds, from a histogram of microseconds. Never an average alone. */
record Latency(long count, double p50, double p99, double p999, double max) {

    static Latency of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Latency(micros.getTotalCount(),
                micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0,
                micros.getValueAtPercentile(99.9) / 1000.0,
                micros.getMaxValue() / 1000.0);
    }

    static Histogram newHistogram() {
        return new Histogram(60_000_000L, 3);
    }
}
