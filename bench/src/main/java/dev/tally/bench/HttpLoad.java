package dev.tally.bench;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Real HTTP/1.1 load with keep-alive over many connections (the JDK client opens one connection per request in
 * flight and reuses it), in one of two modes:
 *
 * <ul>
 *   <li>closed loop ({@code rate == 0}): each of {@code connections} lanes sends its next request when the previous
 *       one is answered. This finds the maximum rate. Its latencies suffer from coordinated omission, so the
 *       reported percentiles are corrected with HdrHistogram's expected-interval correction.</li>
 *   <li>fixed rate: request i is due at {@code start + i / rate}; at most {@code connections} are in flight. Latency
 *       is measured from when the request was due, so time spent waiting for a free connection counts.</li>
 * </ul>
 */
final class HttpLoad {

    private static final long HIGHEST_MICROS = 60_000_000L;

    private final Workload workload;
    private final Duration warmup;
    private final Duration duration;
    private final int connections;
    private final double rate;
    private final PrintStream progress;
    private final Recorder measured = new Recorder(HIGHEST_MICROS, 3);
    private final Recorder interval = new Recorder(HIGHEST_MICROS, 3);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong confirmed = new AtomicLong();
    private volatile long measureFrom;
    private volatile long measureUntil;

    HttpLoad(Workload workload, Duration warmup, Duration duration, int connections, double rate, PrintStream progress) {
        this.workload = workload;
        this.warmup = warmup;
        this.duration = duration;
        this.connections = connections;
        this.rate = rate;
        this.progress = progress;
    }

    LoadResult run() {
        ExecutorService executor = Executors.newFixedThreadPool(2, daemon("bench-http"));
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
        long start = System.nanoTime();
        measureFrom = start + warmup.toNanos();
        measureUntil = measureFrom + duration.toNanos();
        Thread reporter = startProgress(start);
        try {
            if (rate > 0) {
                fixedRate(client, start);
            } else {
                closedLoop(client, executor);
            }
        } finally {
            reporter.interrupt();
            executor.shutdownNow();
        }
        double seconds = duration.toNanos() / 1e9;
        Histogram latency = measured.getIntervalHistogram();
        Histogram corrected = latency;
        if (rate <= 0 && ok.get() > 0) {
            // Each lane would have sent every connections/throughput seconds had the server kept up.
            long expectedMicros = Math.max(1, Math.round(connections * 1e6 * seconds / ok.get()));
            corrected = latency.copyCorrectedForCoordinatedOmission(expectedMicros);
        }
        return new LoadResult(workload.name(), rate > 0 ? "fixed-rate" : "closed-loop", connections, rate, seconds,
                requests.get(), ok.get(), accepted.get(), failed.get(), errors.get(), events.get(), confirmed.get(),
                latency, corrected);
    }

    private void closedLoop(HttpClient client, ExecutorService executor) {
        CountDownLatch lanes = new CountDownLatch(connections);
        for (int i = 0; i < connections; i++) {
            lane(client, executor, lanes);
        }
        await(lanes);
    }

    private void lane(HttpClient client, ExecutorService executor, CountDownLatch lanes) {
        long now = System.nanoTime();
        if (now >= measureUntil) {
            lanes.countDown();
            return;
        }
        Workload.Call call = workload.next();
        client.sendAsync(call.request(), HttpResponse.BodyHandlers.discarding())
                .whenCompleteAsync((response, error) -> {
                    record(now, call.events(), response, error);
                    lane(client, executor, lanes);
                }, executor);
    }

    private void fixedRate(HttpClient client, long start) {
        Semaphore inFlight = new Semaphore(connections);
        double periodNanos = 1e9 / rate;
        for (long i = 0; ; i++) {
            long due = start + Math.round(i * periodNanos);
            if (due >= measureUntil) {
                break;
            }
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight.acquireUninterruptibly();
            Workload.Call call = workload.next();
            client.sendAsync(call.request(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        record(due, call.events(), response, error);
                        inFlight.release();
                    });
        }
        try {
            if (!inFlight.tryAcquire(connections, 60, TimeUnit.SECONDS)) {
                progress.println("bench: some requests were still unanswered 60 s after the run");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void record(long startedOrDue, int callEvents, HttpResponse<?> response, Throwable error) {
        long micros = Math.min(HIGHEST_MICROS, (System.nanoTime() - startedOrDue) / 1000);
        interval.recordValue(micros);
        if (startedOrDue < measureFrom || startedOrDue >= measureUntil) {
            return;
        }
        requests.incrementAndGet();
        if (error != null) {
            errors.incrementAndGet();
            return;
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            failed.incrementAndGet();
            return;
        }
        measured.recordValue(micros);
        ok.incrementAndGet();
        events.addAndGet(callEvents);
        if (status == 200) {
            confirmed.addAndGet(callEvents);
        } else if (status == 202) {
            accepted.incrementAndGet();
        }
    }

    private Thread startProgress(long start) {
        Thread thread = new Thread(() -> {
            Histogram last = null;
            try {
                while (true) {
                    Thread.sleep(1000);
                    last = interval.getIntervalHistogram(last);
                    long now = System.nanoTime();
                    String phase = now < measureFrom ? "warm-up" : "measuring";
                    progress.printf("%s %3ds %-9s %,8d req/s  p50 %7.2f ms  p99 %7.2f ms  non-2xx %,d  errors %,d%n",
                            workload.name(), (now - start) / 1_000_000_000L, phase, last.getTotalCount(),
                            last.getValueAtPercentile(50) / 1000.0, last.getValueAtPercentile(99) / 1000.0,
                            failed.get(), errors.get());
                }
            } catch (InterruptedException stop) {
                // the run is over
            }
        }, "bench-progress");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
