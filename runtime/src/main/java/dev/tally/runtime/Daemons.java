package dev.tally.runtime;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The background threads of a tally process: daemons, so one that is never stopped cannot keep the JVM from
 * exiting, and named, so a thread dump says whose each is.
 */
public final class Daemons {

    private Daemons() {
    }

    /** One thread, named {@code name}, for periodic or queued background work. */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Interrupts what runs and waits up to {@code timeout} for it to end; an interrupted caller stays interrupted. */
    public static void stop(ExecutorService executor, Duration timeout) {
        executor.shutdownNow();
        try {
            executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
