package dev.tally.query;

import com.fasterxml.jackson.databind.JavaType;
import dev.tally.http.ApiException;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.CounterKey;
import dev.tally.schemas.CounterKind;
import dev.tally.schemas.CounterState;
import dev.tally.schemas.CountResponse;
import dev.tally.schemas.Json;
import dev.tally.schemas.LikeKey;
import dev.tally.schemas.LikedResponse;
import dev.tally.schemas.PostCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Answers count reads from wherever the counts live: this instance's active store, the owning instance over
 * HTTP, or, when the owner does not answer, this instance's standby copy; and, while the active store here is being
 * restored (a processor restarted after a crash takes its partitions back at once, then restores them), a standby
 * copy on another instance. Never a guess: when no copy can be read the answer is 503.
 */
public final class CountService {

    /**
     * Requests sent to the owning instance (a feed sends one per owner, however many of its posts that owner has):
     * {@code tally_reads_forwarded_total}.
     */
    public static final String FORWARDED = "tally.reads.forwarded";
    /**
     * Counts read from this instance's standby copy, because the owner did not answer or was restoring its own:
     * {@code tally_reads_standby_total}.
     */
    public static final String STANDBY = "tally.reads.standby";

    private static final JavaType COUNT = Json.mapper().constructType(CountResponse.class);
    private static final JavaType FEED = Json.mapper().constructType(Feed.class);
    private static final JavaType LIKED = Json.mapper().constructType(LikedResponse.class);
    private static final JavaType POST = Json.mapper().constructType(PostCounts.class);

    private final CounterCatalog counters;
    private final PostOwners locator;
    private final CountStores stores;
    private final OwnerReads remote;
    private final LongFunction<Long> liveUsers;
    private final Counter standbyReads;
    private final String region;
    private final boolean multiRegion;

    /**
     * @param liveUsers    the live viewer count of a post, or null where presence is not served
     * @param standbyReads counts the reads answered from a standby copy here
     * @param region       this region, and whether it has peers ({@link QuerySettings})
     */
    public CountService(CounterCatalog counters, PostOwners owners, CountStores stores, OwnerReads remote,
                        LongFunction<Long> liveUsers, Counter standbyReads, String region, boolean multiRegion) {
        this.region = region;
        this.multiRegion = multiRegion;
        this.counters = counters;
        this.locator = owners;
        this.stores = stores;
        this.remote = remote;
        this.standbyReads = standbyReads;
        this.liveUsers = liveUsers;
    }

    /**
     * Reads of the processor's state in {@code streams}, forwarded to other instances over HTTP.
     *
     * @param stateListeners registers a listener of every state change of {@code streams} (Kafka Streams takes one
     *                       listener, which its runtime owns); what the reads learn of the assignment is kept until
     *                       the next change
     * @param standbys       which standby copies here may answer failover reads
     */
    public static CountService of(KafkaStreams streams, Consumer<KafkaStreams.StateListener> stateListeners,
                                  QuerySettings settings, LongFunction<Long> liveUsers, MeterRegistry registry,
                                  StandbyCopies standbys) {
        Counter forwarded = Counter.builder(FORWARDED).description("reads forwarded to the owning instance").register(registry);
        Counter standby = Counter.builder(STANDBY)
                .description("reads answered from a standby copy, the owner not answering or restoring").register(registry);
        AssignmentEpoch epoch = new AssignmentEpoch();
        stateListeners.accept(epoch);
        return new CountService(settings.counters(), new KeyLocator(streams, settings.self(), epoch),
                new LocalStores(streams, epoch, standbys),
                new RemoteCounts(settings.forwardTimeout(), forwarded), liveUsers, standby, settings.region(),
                settings.multiRegion());
    }

    /** The {@code {"counters":[...]}} answer of a feed read. */
    public record Feed(List<PostCounts> counters) {
    }

    public CounterCatalog counters() {
        return counters;
    }

    /**
     * One counter of a post and, for a per-user counter asked with a user, whether that user is counted: two
     * lookups, since the user's like lives on the partition of the post and user, not the post's.
     */
    public CompletableFuture<CountResponse> count(long postId, String counter, Long userId, Hop hop) {
        CompletableFuture<CountResponse> count = read(locateOrFail(postId, hop), hop,
                (partition, stale) -> localCount(partition, stale, postId, counter),
                (host, via) -> remote.get(host, "/v1/" + postId + "/" + counter, COUNT, via));
        if (userId == null || counters.kindOf(counter).orElseThrow() != CounterKind.PER_USER) {
            return count;
        }
        return count.thenCombine(liked(postId, counter, userId, hop), (answer, like) ->
                new CountResponse(answer.postId(), answer.counter(), answer.count(), answer.updatedAt(), like.liked()));
    }

    /** Whether the user is counted in the post's per-user counter, from wherever the user's like lives. */
    public CompletableFuture<LikedResponse> liked(long postId, String counter, long userId, Hop hop) {
        KeyLocator.Owner owner = orFail(locator.locateLike(postId, userId), "the like of user " + userId + " on post " + postId, hop);
        return read(owner, hop,
                (partition, stale) -> new LikedResponse(postId, counter, userId,
                        stores.likes(partition, new LikeKey(postId, counter, userId), stale)),
                (host, via) -> remote.get(host, "/v1/" + postId + "/" + counter + "/users/" + userId, LIKED, via));
    }

    public CompletableFuture<PostCounts> post(long postId, Hop hop) {
        return feed(List.of(postId), hop).thenApply(feed -> feed.counters().get(0));
    }

    /**
     * Every counter of the post, and what each region's events added to each: the figures the partition test shows
     * (each region sees only its own during a partition, all of them after it heals). With no peer regions, every
     * count is this region's.
     */
    public CompletableFuture<PostCounts> postByRegion(long postId, Hop hop) {
        if (!multiRegion) {
            return post(postId, hop).thenApply(counts -> counts.withRegions(Map.of(region, counts.counts())));
        }
        return read(locateOrFail(postId, hop), hop,
                (partition, stale) -> localPost(partition, stale, postId).withRegions(stores.regions(partition, postId, stale)),
                (host, via) -> remote.get(host, "/v1/" + postId + "?regions=true", POST, via));
    }

    /**
     * Every counter of each post, in the order asked. Posts held elsewhere are fetched with one request per
     * instance, not one per post.
     */
    public CompletableFuture<Feed> feed(List<Long> postIds, Hop hop) {
        Map<Long, PostCounts> answers = new LinkedHashMap<>();
        // Keyed by host, listing posts: the owner records of two posts in one partition are equal, so they cannot
        // be the keys of the post ids.
        Map<HostInfo, List<RemotePost>> byOwner = new LinkedHashMap<>();
        Map<HostInfo, List<Long>> byStandby = new LinkedHashMap<>();
        for (long postId : postIds) {
            KeyLocator.Owner owner = locateOrFail(postId, hop);
            if (owner instanceof KeyLocator.Local local) {
                try {
                    answers.put(postId, localPost(local.partition(), false, postId));
                } catch (ApiException restoring) {
                    byStandby.computeIfAbsent(standbyFor(local, hop, restoring), host -> new ArrayList<>()).add(postId);
                }
            } else if (owner instanceof KeyLocator.Remote remoteOwner) {
                if (hop == Hop.TO_STANDBY) {
                    answers.put(postId, fromStandbyHere(remoteOwner.partition(), (partition, stale) -> localPost(partition, stale, postId)));
                } else {
                    byOwner.computeIfAbsent(remoteOwner.host(), host -> new ArrayList<>()).add(new RemotePost(postId, remoteOwner));
                }
            }
        }
        List<CompletableFuture<Void>> fetches = new ArrayList<>();
        byOwner.forEach((host, posts) -> fetches.add(collect(answers,
                fetchFeed(host, posts.stream().map(RemotePost::postId).toList(), Hop.TO_OWNER)
                        .exceptionally(failure -> standbyFeed(posts, failure)))));
        byStandby.forEach((host, posts) -> fetches.add(collect(answers, fetchFeed(host, posts, Hop.TO_STANDBY)
                .exceptionally(failure -> {
                    throw unavailable(failure);
                }))));
        return CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new)).thenApply(done -> {
            synchronized (answers) {
                return new Feed(postIds.stream().map(answers::get).toList());
            }
        });
    }

    private CompletableFuture<Feed> fetchFeed(HostInfo host, List<Long> postIds, Hop via) {
        String list = postIds.stream().map(String::valueOf).collect(Collectors.joining(","));
        return remote.get(host, "/v1/counters?post_ids=" + list, FEED, via);
    }

    private static CompletableFuture<Void> collect(Map<Long, PostCounts> answers, CompletableFuture<Feed> fetch) {
        return fetch.thenAccept(feed -> {
            synchronized (answers) {
                feed.counters().forEach(counts -> answers.put(counts.postId(), counts));
            }
        });
    }

    private record RemotePost(long postId, KeyLocator.Remote owner) {
    }

    /** Failover when the owner did not answer: this instance's standby copies, if it has every one. */
    private Feed standbyFeed(List<RemotePost> posts, Throwable failure) {
        List<PostCounts> fromStandby = new ArrayList<>();
        for (RemotePost post : posts) {
            if (!post.owner().standbyHere()) {
                throw unavailable(failure);
            }
            fromStandby.add(fromStandbyHere(post.owner().partition(), (partition, stale) -> localPost(partition, stale, post.postId())));
        }
        return new Feed(fromStandby);
    }

    private interface LocalRead<T> {
        T read(int partition, boolean stale);
    }

    private interface RemoteRead<T> {
        CompletableFuture<T> get(HostInfo host, Hop via);
    }

    /**
     * Reads the copy the owner and the hop allow: the active copy here, else (while it is being restored, for a
     * client's read) a standby copy elsewhere; the owner elsewhere, else (when it does not answer) the standby copy
     * here; for a read sent to a standby copy, the copy here.
     */
    private <T> CompletableFuture<T> read(KeyLocator.Owner owner, Hop hop, LocalRead<T> local, RemoteRead<T> elsewhere) {
        if (owner instanceof KeyLocator.Local here) {
            try {
                return CompletableFuture.completedFuture(local.read(here.partition(), false));
            } catch (ApiException restoring) {
                return elsewhere.get(standbyFor(here, hop, restoring), Hop.TO_STANDBY).exceptionally(failure -> {
                    throw unavailable(failure);
                });
            }
        }
        KeyLocator.Remote remoteOwner = (KeyLocator.Remote) owner;
        if (hop == Hop.TO_STANDBY) {
            return CompletableFuture.completedFuture(fromStandbyHere(remoteOwner.partition(), local));
        }
        return elsewhere.get(remoteOwner.host(), Hop.TO_OWNER).exceptionally(failure -> {
            if (remoteOwner.standbyHere()) {
                return fromStandbyHere(remoteOwner.partition(), local);
            }
            throw unavailable(failure);
        });
    }

    /** A read answered from this instance's standby copy, and counted as one ({@link #STANDBY}). */
    private <T> T fromStandbyHere(int partition, LocalRead<T> local) {
        T answer = local.read(partition, true);
        standbyReads.increment();
        return answer;
    }

    /**
     * Where a client's read of a partition whose active copy here cannot be read (restoring after a restart, or
     * closed) goes instead: a standby copy on another instance. Rethrows when there is none, or when the read was
     * itself forwarded (it travels at most once).
     */
    private static HostInfo standbyFor(KeyLocator.Local here, Hop hop, ApiException restoring) {
        if (hop != Hop.CLIENT || here.standbys().isEmpty() || restoring.status() != 503) {
            throw restoring;
        }
        return here.standbys().get(0);
    }

    private KeyLocator.Owner locateOrFail(long postId, Hop hop) {
        return orFail(locator.locate(postId), "post " + postId, hop);
    }

    private static KeyLocator.Owner orFail(KeyLocator.Owner owner, String what, Hop hop) {
        if (owner instanceof KeyLocator.Unavailable) {
            throw ApiException.unavailable("counts are being rebalanced between instances; retry");
        }
        if (owner instanceof KeyLocator.Remote remoteOwner
                && (hop == Hop.TO_OWNER || hop == Hop.TO_STANDBY && !remoteOwner.standbyHere())) {
            throw ApiException.unavailable(what + " is moving to another instance; retry");
        }
        return owner;
    }

    private CountResponse localCount(int partition, boolean stale, long postId, String counter) {
        CounterState state = stores.count(partition, new CounterKey(postId, counter), stale);
        return state == null
                ? new CountResponse(postId, counter, 0, null, null)
                : new CountResponse(postId, counter, state.count(), state.updatedAt(), null);
    }

    private PostCounts localPost(int partition, boolean stale, long postId) {
        Map<String, Long> values = new LinkedHashMap<>();
        long latest = 0;
        for (String counter : counters.names()) {
            CounterState state = stores.count(partition, new CounterKey(postId, counter), stale);
            values.put(counter, state == null ? 0 : state.count());
            latest = state == null ? latest : Math.max(latest, state.updatedAtMillis());
        }
        return new PostCounts(postId, values, liveUsers == null ? null : liveUsers.apply(postId),
                latest == 0 ? null : Instant.ofEpochMilli(latest));
    }

    private static ApiException unavailable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof ApiException api ? api : ApiException.unavailable("the owning instance did not answer: " + cause.getMessage());
    }
}
