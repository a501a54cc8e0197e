package dev.tally.bench;

import java.net.http.HttpRequest;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a load run sends: a fresh request each time it is asked, and how many counter events that request carries
 * (0 for a read, 1 for a PUT, the batch size for a batch), so a run can report events per second beside requests.
 */
record Workload(String name, Source source) {

    record Call(HttpRequest request, int events) {
    }

    @FunctionalInterface
    interface Source {
        Call next(ThreadLocalRandom random);
    }

    Call next() {
        return source.next(ThreadLocalRandom.current());
    }
}
