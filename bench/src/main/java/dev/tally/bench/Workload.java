package dev.tally.bench;

import java.util.concurrent.ThreadLocalRandom;

/**
 * What a load run sends: a fresh request each time it is asked, and how many counter events that request carries
 * (0 for a read, 1 for a PUT, the batch size for a batch), so a run can report events per second beside requests.
 */
record Workload(String name, Source source) {

    /**
     * One request: {@code jsonBody} is null for a GET; {@code respondAsync} adds {@code Prefer: respond-async}.
     */
    record Call(String method, String url, String jsonBody, boolean respondAsync, int events) {

        static Call get(String url) {
            return new Call("GET", url, null, false, 0);
        }
    }

    @FunctionalInterface
    interface Source {
        Call next(ThreadLocalRandom random);
    }

    Call next() {
        return source.next(ThreadLocalRandom.current());
    }
}
