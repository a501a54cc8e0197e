package dev.tally.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Real HTTP/1.1 load with keep-alive over at most {@code connections} connections, sent with Jetty's asynchronous
 * client: no thread waits on a request, and one selector thread drives every connection. (The JDK HttpClient did
 * the same work first and topped out near 1,000 requests/s on a static endpoint here, a tenth of what wrk reaches,
 * so it measured itself rather than the server.) Accepts gzip, as browsers do. Two modes:
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
        HttpClient client = startClient();
        long start = System.nanoTime();
        measureFrom = start + warmup.toNanos();
        measureUntil = measureFrom + duration.toNanos();
        Thread reporter = startProgress(start);
        try {
            if (rate > 0) {
                fixedRate(client, start);
            } else {
                closedLoop(client);
            }
        } finally {
            reporter.interrupt();
            stop(client);
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

    private HttpClient startClient() {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("bench-http");
        threads.setDaemon(true);
        HttpClient client = new HttpClient();
        client.setExecutor(threads);
        client.setMaxConnectionsPerDestination(connections);
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, connections * 4));
        client.setConnectTimeout(5_000);
        client.setFollowRedirects(false);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client", e);
        }
        return client;
    }

    private static void stop(HttpClient client) {
        try {
            client.stop();
        } catch (Exception e) {
            // the run is over; a client that fails to stop cleanly changes no figure
        }
    }

    private void closedLoop(HttpClient client) {
        CountDownLatch lanes = new CountDownLatch(connections);
        for (int i = 0; i < connections; i++) {
            lane(client, lanes);
        }
        await(lanes);
    }

    private void lane(HttpClient client, CountDownLatch lanes) {
        long now = System.nanoTime();
        if (now >= measureUntil) {
            lanes.countDown();
            return;
        }
        Workload.Call call = workload.next();
        send(client, call, result -> {
            record(now, call.events(), result);
            lane(client, lanes);
        });
    }

    private static void send(HttpClient client, Workload.Call call, Response.CompleteListener done) {
        Request request = client.newRequest(call.url()).method(call.method()).timeout(30, TimeUnit.SECONDS);
        if (call.jsonBody() != null) {
            request.body(new StringRequestContent("application/json", call.jsonBody()));
        }
        if (call.respondAsync()) {
            request.headers(headers -> headers.put("Prefer", "respond-async"));
        }
        request.send(done);
    }

    private void fixedRate(HttpClient client, long start) {
        Semaphore inFlight = new Semaphore(connections);
        double periodNanos = 1e9 / rate;
        long origin = start;
        boolean measuring = false;
        for (long i = 0; ; i++) {
            long due = origin + Math.round(i * periodNanos);
            if (!measuring && (due >= measureFrom || System.nanoTime() >= measureFrom)) {
                // The schedule starts afresh with the measurement: a warm-up that fell behind (a cold JIT cannot
                // keep the rate) would otherwise hand its backlog to the first measured requests.
                measuring = true;
                origin = Math.max(measureFrom, System.nanoTime());
                i = 0;
                due = origin;
            }
            if (due >= measureUntil) {
                break;
            }
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight.acquireUninterruptibly();
            Workload.Call call = workload.next();
            long dueAt = due;
            send(client, call, result -> {
                record(dueAt, call.events(), result);
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

    private void record(long startedOrDue, int callEvents, Result result) {
        long micros = Math.min(HIGHEST_MICROS, (System.nanoTime() - startedOrDue) / 1000);
        interval.recordValue(micros);
        if (startedOrDue < measureFrom || startedOrDue >= measureUntil) {
            return;
        }
        requests.incrementAndGet();
        if (result.isFailed()) {
            errors.incrementAndGet();
            return;
        }
        int status = result.getResponse().getStatus();
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
}
