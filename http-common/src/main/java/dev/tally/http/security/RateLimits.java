package dev.tally.http.security;

import dev.tally.http.ApiException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Token buckets (Bucket4j, in this process) for one kind of request, one per user and one per client address; a
 * request takes a token from each that applies, and is refused with 429 and {@code Retry-After} when either is
 * empty.
 *
 * <p>Memory is bounded without a cache library: a bucket untouched for longer than it takes to refill completely
 * is indistinguishable from a new one, so it is dropped ({@link #sweep}, at most once per refill time, by the
 * request that notices). That leaves only the keys active within one refill time (burst / rate, seconds), and
 * {@code maxKeys} caps even those: once full after a sweep, new keys share one overflow bucket, so a flood from
 * countless addresses is limited as one client and never makes tally forget the buckets of the clients it already
 * limits.
 */
public final class RateLimits {

    /** Per kind of request: 100,000 keys take about 20 MB. */
    public static final int DEFAULT_MAX_KEYS = 100_000;
    private static final String OVERFLOW = "overflow";

    private final String what;
    private final RateLimit limit;
    private final int maxKeys;
    private final LongSupplier nanoClock;
    private final long idleNanos;
    private final Map<String, Entry> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;
    private final TimeMeter timeMeter;

    private record Entry(Bucket bucket, AtomicLong lastUsed) {
    }

    public RateLimits(String what, RateLimit limit) {
        this(what, limit, DEFAULT_MAX_KEYS, System::nanoTime);
    }

    RateLimits(String what, RateLimit limit, int maxKeys, LongSupplier nanoClock) {
        this.what = what;
        this.limit = limit;
        this.maxKeys = maxKeys;
        this.nanoClock = nanoClock;
        this.idleNanos = Math.max(1, TimeUnit.SECONDS.toNanos(1) * limit.burst() / limit.perSecond());
        this.lastSweep = new AtomicLong(nanoClock.getAsLong());
        this.timeMeter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoClock.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
    }

    /** Takes a token for the user (if any) and the address; 429 when one is out. */
    public void acquire(Long userId, String address) {
        if (userId != null) {
            take("u:" + userId, "user " + userId);
        }
        take("a:" + address, address);
    }

    /** Keys held now: what the memory bound is about. */
    public int size() {
        return buckets.size();
    }

    private void take(String key, String who) {
        long now = nanoClock.getAsLong();
        Entry entry = entry(key, now);
        entry.lastUsed().set(now);
        ConsumptionProbe probe = entry.bucket().tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = (probe.getNanosToWaitForRefill() + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
            throw ApiException.tooManyRequests(who + " exceeded " + limit + " " + what, seconds);
        }
    }

    private Entry entry(String key, long now) {
        Entry entry = buckets.get(key);
        if (entry != null) {
            return entry;
        }
        if (buckets.size() >= maxKeys) {
            sweep(now, true);
            if (buckets.size() >= maxKeys) {
                return buckets.computeIfAbsent(OVERFLOW, k -> newEntry(now));
            }
        } else if (now - lastSweep.get() > idleNanos) {
            sweep(now, false);
        }
        return buckets.computeIfAbsent(key, k -> newEntry(now));
    }

    private Entry newEntry(long now) {
        Bucket bucket = Bucket.builder()
                .addLimit(l -> l.capacity(limit.burst()).refillGreedy(limit.perSecond(), Duration.ofSeconds(1)))
                .withCustomTimePrecision(timeMeter)
                .build();
        return new Entry(bucket, new AtomicLong(now));
    }

    /** Drops buckets that have refilled completely: they hold no memory of the client that a new one would not. */
    private void sweep(long now, boolean force) {
        long last = lastSweep.get();
        if ((force || now - last > idleNanos) && lastSweep.compareAndSet(last, now)) {
            buckets.entrySet().removeIf(e -> now - e.getValue().lastUsed().get() > idleNanos);
        }
    }

    public static Optional<RateLimits> of(String what, Optional<RateLimit> limit) {
        return limit.map(l -> new RateLimits(what, l));
    }
}
