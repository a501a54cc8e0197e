package dev.tally.query;

import com.fasterxml.jackson.databind.JavaType;
import dev.tally.http.ApiException;
import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterState;
import dev.tally.schemas.Json;
import dev.tally.schemas.LikeKey;
import dev.tally.schemas.RegionCounterKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The cluster as one query instance sees it, in memory: who owns each post, what this instance's active and
 * standby stores hold, and how other instances answer forwarded reads. A unit-test stand-in for Kafka Streams'
 * metadata, its stores and the HTTP hop, each of which is tested against the real thing in {@code app}.
 */
final class FakeCluster implements PostOwners, CountStores, OwnerReads {

    static final HostInfo OTHER = new HostInfo("other", 8080);

    private final Map<Long, KeyLocator.Owner> owners = new HashMap<>();
    private final Map<LikeKey, KeyLocator.Owner> likeOwners = new HashMap<>();
    private final Map<RegionCounterKey, Long> regional = new HashMap<>();
    private final Map<CounterKey, CounterState> active = new HashMap<>();
    private final Map<CounterKey, CounterState> standby = new HashMap<>();
    private final Set<LikeKey> likers = new HashSet<>();
    private final List<String> forwarded = new ArrayList<>();
    private final List<Hop> hops = new ArrayList<>();
    private final Set<Integer> restoring = new HashSet<>();
    private final List<Boolean> staleReads = new ArrayList<>();
    private Function<String, Object> otherInstance = path -> {
        throw new IllegalStateException("no answer configured for " + path);
    };

    FakeCluster ownedHere(long postId, int partition) {
        owners.put(postId, new KeyLocator.Local(partition));
        return this;
    }

    FakeCluster ownedElsewhere(long postId, int partition, boolean standbyHere) {
        owners.put(postId, new KeyLocator.Remote(OTHER, partition, standbyHere));
        return this;
    }

    /** A user's like of a post lives elsewhere (by default, with the post's counts). */
    FakeCluster likeOwnedElsewhere(long postId, String counter, long userId, int partition) {
        likeOwners.put(new LikeKey(postId, counter, userId), new KeyLocator.Remote(OTHER, partition, false));
        return this;
    }

    FakeCluster rebalancing(long postId) {
        owners.put(postId, new KeyLocator.Unavailable());
        return this;
    }

    FakeCluster counted(long postId, String counter, long count, long updatedAtMillis) {
        active.put(new CounterKey(postId, counter), new CounterState(count, updatedAtMillis));
        return this;
    }

    FakeCluster countedInStandby(long postId, String counter, long count, long updatedAtMillis) {
        standby.put(new CounterKey(postId, counter), new CounterState(count, updatedAtMillis));
        return this;
    }

    FakeCluster liked(long postId, String counter, long userId) {
        likers.add(new LikeKey(postId, counter, userId));
        return this;
    }

    /** How the other instance answers a forwarded path: a value, or a thrown exception for a failed request. */
    FakeCluster otherAnswers(Function<String, Object> answer) {
        this.otherInstance = answer;
        return this;
    }

    List<String> forwardedPaths() {
        return List.copyOf(forwarded);
    }

    /** The hop of each forwarded read, in order. */
    List<Hop> hops() {
        return List.copyOf(hops);
    }

    /** The post is owned here, and its active copy here is being restored; {@link #OTHER} keeps a standby copy. */
    FakeCluster ownedHereRestoring(long postId, int partition) {
        owners.put(postId, new KeyLocator.Local(partition, List.of(OTHER)));
        restoring.add(partition);
        return this;
    }

    List<Boolean> staleReads() {
        return List.copyOf(staleReads);
    }

    @Override
    public KeyLocator.Owner locate(long postId) {
        return owners.getOrDefault(postId, new KeyLocator.Local(0));
    }

    @Override
    public Map<String, Map<String, Long>> regions(int partition, long postId, boolean stale) {
        Map<String, Map<String, Long>> byRegion = new java.util.TreeMap<>();
        regional.forEach((key, count) -> {
            if (key.postId() == postId) {
                byRegion.computeIfAbsent(key.region(), region -> new java.util.TreeMap<>()).put(key.counter(), count);
            }
        });
        return byRegion;
    }

    FakeCluster countedInRegion(long postId, String counter, String region, long count) {
        regional.put(new RegionCounterKey(postId, counter, region), count);
        return this;
    }

    @Override
    public KeyLocator.Owner locateLike(long postId, long userId) {
        return likeOwners.entrySet().stream()
                .filter(entry -> entry.getKey().postId() == postId && entry.getKey().userId() == userId)
                .map(Map.Entry::getValue).findFirst().orElseGet(() -> locate(postId));
    }

    @Override
    public KeyLocator.Owner ownerOf(int partition) {
        return owners.values().stream().filter(owner -> partitionOf(owner) == partition).findFirst()
                .orElse(new KeyLocator.Local(partition));
    }

    private static int partitionOf(KeyLocator.Owner owner) {
        if (owner instanceof KeyLocator.Local local) {
            return local.partition();
        }
        return owner instanceof KeyLocator.Remote remote ? remote.partition() : -1;
    }

    @Override
    public CounterState count(int partition, CounterKey key, boolean stale) {
        if (!stale && restoring.contains(partition)) {
            throw ApiException.unavailable("counts of partition " + partition + " are moving between instances; retry");
        }
        staleReads.add(stale);
        return (stale ? standby : active).get(key);
    }

    @Override
    public boolean likes(int partition, LikeKey key, boolean stale) {
        return likers.contains(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> get(HostInfo host, String pathAndQuery, JavaType type, Hop hop) {
        forwarded.add(pathAndQuery);
        hops.add(hop);
        try {
            Object answer = otherInstance.apply(pathAndQuery);
            // Through JSON, as over the wire.
            return CompletableFuture.completedFuture((T) Json.mapper().readValue(Json.mapper().writeValueAsBytes(answer), type));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
