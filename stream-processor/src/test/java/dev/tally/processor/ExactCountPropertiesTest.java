package dev.tally.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.schemas.Action;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Exactness as properties of the real topology: whatever order users like and unlike in, and however often a
 * request is retried, the count is what a one-line model says it is. One driver serves every try, each try on a
 * post of its own, because a driver with RocksDB stores takes a while to open.
 */
class ExactCountPropertiesTest {

    private static final int USERS = 200;
    private static TopologyHarness tally;
    /** A second region's processor: the same events, delivered in another order. */
    private static TopologyHarness otherRegion;
    private static final AtomicLong POSTS = new AtomicLong();

    @BeforeContainer
    static void start() {
        tally = new TopologyHarness(Duration.ofHours(24));
        otherRegion = new TopologyHarness(Duration.ofHours(24));
    }

    @AfterContainer
    static void stop() {
        tally.close();
        otherRegion.close();
    }

    /** One user's like (true) or unlike (false). */
    record Toggle(long userId, boolean like) {
    }

    @Property(tries = 40)
    void shouldCountExactlyTheUsersWhoseLastActionWasALike(@ForAll("interleavings") List<Toggle> toggles) {
        long post = POSTS.incrementAndGet();
        List<CounterEvent> events = toggles.stream().map(toggle -> tally.event(post, "likes",
                toggle.like() ? Action.INCREMENT : Action.DECREMENT, toggle.userId(), null)).toList();

        List<CounterUpdate> answers = tally.sendAll(events);

        Set<Long> liking = new HashSet<>();
        assertThat(answers).hasSize(toggles.size());
        for (int i = 0; i < toggles.size(); i++) {
            Toggle toggle = toggles.get(i);
            if (toggle.like()) {
                liking.add(toggle.userId());
            } else {
                liking.remove(toggle.userId());
            }
            CounterUpdate answer = answers.get(i);
            assertThat(answer.count()).as("answer %d", i).isEqualTo(liking.size());
            assertThat(answer.liked()).as("answer %d", i).isEqualTo(toggle.like());
        }
        long lastActionWasLike = lastActions(toggles).values().stream().filter(like -> like).count();
        assertThat(tally.count(post, "likes")).isEqualTo(lastActionWasLike);
        assertThat(tally.likers(post)).isEqualTo(liking);
    }

    /** A client request: a counter change, with an Idempotency-Key of its own. */
    /**
     * A user's like state is the latest of their events by event time, so the same likes and unlikes end in the same
     * counts whatever order they arrive in: late copies, events moved between partitions, or two regions that each
     * apply their own events first and the other's when mirrored.
     */
    @Property(tries = 40)
    void shouldEndInTheSameCountsWhateverOrderTheSameLikesArriveIn(
            @ForAll("interleavings") List<Toggle> toggles, @ForAll long seed) {
        long post = POSTS.incrementAndGet();
        List<CounterEvent> events = toggles.stream().map(toggle -> tally.event(post, "likes",
                toggle.like() ? Action.INCREMENT : Action.DECREMENT, toggle.userId(), null)).toList();
        List<CounterEvent> shuffled = new ArrayList<>(events);
        java.util.Collections.shuffle(shuffled, new java.util.Random(seed));

        tally.sendAsync(events);
        otherRegion.sendAsync(shuffled);

        long lastActionWasLike = lastActions(toggles).values().stream().filter(like -> like).count();
        assertThat(tally.count(post, "likes")).isEqualTo(lastActionWasLike);
        assertThat(otherRegion.count(post, "likes")).as("delivered in another order").isEqualTo(lastActionWasLike);
        assertThat(otherRegion.likers(post)).isEqualTo(tally.likers(post));
    }

    record Request(String counter, Action action, Long userId, String key) {
    }

    @Property(tries = 40)
    void shouldCountEveryRetriedRequestOnceAndAnswerEveryCopyAlike(
            @ForAll("requests") List<Request> requests, @ForAll("copies") List<Integer> copiesOf, @ForAll long seed) {
        long post = POSTS.incrementAndGet();
        // Deliver each request one to four times; a retry may overtake requests sent after the first copy.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            for (int copy = 0; copy < copiesOf.get(i % copiesOf.size()); copy++) {
                order.add(i);
            }
        }
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        List<CounterEvent> events = order.stream().map(requests::get).map(request ->
                tally.event(post, request.counter(), request.action(), request.userId(), request.key())).toList();

        List<CounterUpdate> answers = tally.sendAll(events);

        // The model applies each request once, at its first copy, and every copy repeats that answer.
        Map<String, Long> counts = new HashMap<>();
        Set<Long> liking = new HashSet<>();
        Map<Integer, CounterUpdate> firstAnswers = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            int index = order.get(i);
            CounterUpdate first = firstAnswers.putIfAbsent(index, answers.get(i));
            if (first != null) {
                assertThat(answers.get(i)).as("a copy of request %d", index).isEqualTo(first);
                continue;
            }
            Request request = requests.get(index);
            if (request.action() == Action.RESET) {
                counts.put(request.counter(), 0L);
                if (request.counter().equals("likes")) {
                    liking.clear();
                }
            } else if (request.counter().equals("likes")) {
                if (request.action() == Action.INCREMENT) {
                    liking.add(request.userId());
                } else {
                    liking.remove(request.userId());
                }
                counts.put("likes", (long) liking.size());
            } else {
                counts.merge(request.counter(), request.action() == Action.INCREMENT ? 1L : -1L, Long::sum);
            }
            assertThat(answers.get(i).count()).as("request %d", index).isEqualTo(counts.get(request.counter()));
        }
        for (String counter : List.of("likes", "views", "shares")) {
            assertThat(tally.count(post, counter)).as(counter).isEqualTo(counts.getOrDefault(counter, 0L));
        }
    }

    @Provide
    Arbitrary<List<Toggle>> interleavings() {
        Arbitrary<Toggle> toggle = Combinators.combine(
                Arbitraries.longs().between(1, USERS), Arbitraries.of(true, false)).as(Toggle::new);
        // Long enough that nearly all 200 users act, several times each; uniform, since jqwik favours short lists.
        return toggle.list().ofMinSize(400).ofMaxSize(1200).withSizeDistribution(RandomDistribution.uniform());
    }

    @Provide
    Arbitrary<List<Request>> requests() {
        Arbitrary<Request> request = Arbitraries.frequencyOf(
                Tuple.of(10, Combinators.combine(Arbitraries.of(Action.INCREMENT, Action.DECREMENT), Arbitraries.longs().between(1, 20))
                        .as((action, user) -> new Request("likes", action, user, null))),
                Tuple.of(10, Arbitraries.just(new Request("views", Action.INCREMENT, null, null))),
                Tuple.of(10, Arbitraries.of(Action.INCREMENT, Action.DECREMENT).map(action -> new Request("shares", action, null, null))),
                // An admin's reset now and then, of any counter.
                Tuple.of(1, Arbitraries.of("likes", "views", "shares").map(counter -> new Request(counter, Action.RESET, null, null))));
        // Keys unique within one list, so that each request is a different client request.
        return request.list().ofMinSize(1).ofMaxSize(150).withSizeDistribution(RandomDistribution.uniform()).map(list -> {
            List<Request> keyed = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                Request r = list.get(i);
                keyed.add(new Request(r.counter(), r.action(), r.userId(), "req-" + i));
            }
            return keyed;
        });
    }

    @Provide
    Arbitrary<List<Integer>> copies() {
        return Arbitraries.integers().between(1, 4).list().ofMinSize(1).ofMaxSize(50);
    }

    private static Map<Long, Boolean> lastActions(List<Toggle> toggles) {
        Map<Long, Boolean> last = new LinkedHashMap<>();
        toggles.forEach(toggle -> last.put(toggle.userId(), toggle.like()));
        return last;
    }
}
