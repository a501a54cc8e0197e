package dev.tally.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.http.ApiException;
import dev.tally.schemas.CountResponse;
import dev.tally.schemas.LikedResponse;
import dev.tally.schemas.CounterCatalog;
import dev.tally.schemas.PostCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class CountServiceTest {

    private static final long AT = 1_800_000_000_000L;

    private final FakeCluster cluster = new FakeCluster();
    private final Counter standbyReads = new SimpleMeterRegistry().counter("standby");
    private final CountService counts = new CountService(CounterCatalog.defaults(), cluster, cluster, cluster, post -> 7L,
            standbyReads, "east", true);

    @Test
    void shouldAnswerFromTheActiveStoreWhenThePostIsOwnedHere() {
        cluster.ownedHere(1, 3).counted(1, "likes", 42, AT).liked(1, "likes", 9);

        CountResponse answer = counts.count(1, "likes", 9L, Hop.CLIENT).join();

        assertThat(answer).isEqualTo(new CountResponse(1, "likes", 42, Instant.ofEpochMilli(AT), true));
        assertThat(cluster.forwardedPaths()).isEmpty();
        assertThat(cluster.staleReads()).containsOnly(false);
    }

    @Test
    void shouldAskTheInstanceThatHoldsTheUsersLikeWhetherTheUserIsCountedAndCountHere() {
        cluster.ownedHere(1, 3).counted(1, "likes", 42, AT).likeOwnedElsewhere(1, "likes", 9, 5)
                .otherAnswers(path -> new LikedResponse(1, "likes", 9, true));

        CountResponse answer = counts.count(1, "likes", 9L, Hop.CLIENT).join();

        assertThat(answer).isEqualTo(new CountResponse(1, "likes", 42, Instant.ofEpochMilli(AT), true));
        assertThat(cluster.forwardedPaths()).containsExactly("/v1/1/likes/users/9");
    }

    @Test
    void shouldRefuseAForwardedLikeLookupThatIsNotHeldHere() {
        cluster.likeOwnedElsewhere(1, "likes", 9, 5);

        assertThatThrownBy(() -> counts.liked(1, "likes", 9, Hop.TO_OWNER)).isInstanceOf(ApiException.class);
        assertThat(cluster.forwardedPaths()).isEmpty();
    }

    @Test
    void shouldAnswerWhatEachRegionAddedBesideTheCounts() {
        cluster.ownedHere(4, 1).counted(4, "views", 5, AT).countedInRegion(4, "views", "east", 2)
                .countedInRegion(4, "views", "west", 3);

        PostCounts answer = counts.postByRegion(4, Hop.CLIENT).join();

        assertThat(answer.count("views")).isEqualTo(5);
        assertThat(answer.regions()).isEqualTo(Map.of("east", Map.of("views", 2L), "west", Map.of("views", 3L)));
    }

    @Test
    void shouldAnswerZeroWithoutATimeForAPostNeverCounted() {
        assertThat(counts.count(5, "views", null, Hop.CLIENT).join()).isEqualTo(CountResponse.empty(5, "views"));
    }

    @Test
    void shouldForwardToTheOwnerAndPassItsAnswerOn() {
        cluster.ownedElsewhere(2, 4, false).otherAnswers(path -> new CountResponse(2, "views", 11, Instant.ofEpochMilli(AT), null));

        assertThat(counts.count(2, "views", null, Hop.CLIENT).join().count()).isEqualTo(11);
        assertThat(cluster.forwardedPaths()).containsExactly("/v1/2/views");
    }

    @Test
    void shouldFallBackToTheStandbyCopyWhenTheOwnerDoesNotAnswer() {
        cluster.ownedElsewhere(2, 4, true).countedInStandby(2, "views", 10, AT)
                .otherAnswers(path -> {
                    throw new IllegalStateException("connection refused");
                });

        assertThat(counts.count(2, "views", null, Hop.CLIENT).join().count()).isEqualTo(10);
        assertThat(cluster.staleReads()).containsExactly(true);
        assertThat(standbyReads.count()).isEqualTo(1);
    }

    @Test
    void shouldAnswer503WhenTheOwnerDoesNotAnswerAndNoStandbyIsHere() {
        cluster.ownedElsewhere(2, 4, false).otherAnswers(path -> {
            throw new IllegalStateException("connection refused");
        });

        assertThatThrownBy(() -> counts.count(2, "views", null, Hop.CLIENT).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(503))
                .hasMessageContaining("did not answer");
    }

    @Test
    void shouldReadAStandbyCopyElsewhereWhileTheActiveCopyHereIsRestored() {
        cluster.ownedHereRestoring(2, 4).otherAnswers(path -> new CountResponse(2, "views", 10, Instant.ofEpochMilli(AT), null));

        assertThat(counts.count(2, "views", null, Hop.CLIENT).join().count()).isEqualTo(10);
        assertThat(cluster.forwardedPaths()).containsExactly("/v1/2/views");
        assertThat(cluster.hops()).containsExactly(Hop.TO_STANDBY);
    }

    @Test
    void shouldFetchAFeedOfRestoringPostsFromTheStandbyCopyInOneRequest() {
        cluster.ownedHereRestoring(20, 4).ownedHereRestoring(21, 4).ownedHere(22, 5).counted(22, "views", 3, AT)
                .otherAnswers(path -> new CountService.Feed(List.of(
                        new PostCounts(20, Map.of("likes", 1L, "views", 7L), null, Instant.ofEpochMilli(AT)),
                        new PostCounts(21, Map.of("likes", 0L, "views", 8L), null, Instant.ofEpochMilli(AT)))));

        List<PostCounts> feed = counts.feed(List.of(20L, 21L, 22L), Hop.CLIENT).join().counters();

        assertThat(feed).extracting(post -> post.counts().get("views")).containsExactly(7L, 8L, 3L);
        assertThat(cluster.forwardedPaths()).containsExactly("/v1/counters?post_ids=20,21");
        assertThat(cluster.hops()).containsExactly(Hop.TO_STANDBY);
    }

    @Test
    void shouldNotSendOnAReadThatWasForwardedWhileTheCopyHereIsRestored() {
        cluster.ownedHereRestoring(2, 4);

        assertThatThrownBy(() -> counts.count(2, "views", null, Hop.TO_STANDBY).join())
                .isInstanceOf(ApiException.class).hasMessageContaining("moving");
        assertThat(cluster.forwardedPaths()).isEmpty();
    }

    @Test
    void shouldAnswerAReadSentToTheStandbyCopyFromTheStandbyCopyHere() {
        cluster.ownedElsewhere(2, 4, true).countedInStandby(2, "views", 10, AT);

        assertThat(counts.count(2, "views", null, Hop.TO_STANDBY).join().count()).isEqualTo(10);
        assertThat(cluster.staleReads()).containsExactly(true);
        assertThat(cluster.forwardedPaths()).isEmpty();
        assertThat(standbyReads.count()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAReadSentToTheStandbyCopyWhenNoCopyIsHere() {
        cluster.ownedElsewhere(2, 4, false);

        assertThatThrownBy(() -> counts.count(2, "views", null, Hop.TO_STANDBY))
                .isInstanceOf(ApiException.class).hasMessageContaining("moving to another instance");
        assertThat(cluster.forwardedPaths()).isEmpty();
    }

    @Test
    void shouldAnswer503WhileThePostIsBeingRebalanced() {
        cluster.rebalancing(3);

        assertThatThrownBy(() -> counts.count(3, "likes", null, Hop.CLIENT))
                .isInstanceOf(ApiException.class).hasMessageContaining("rebalanced");
    }

    @Test
    void shouldNeverForwardARequestThatWasForwardedAlready() {
        cluster.ownedElsewhere(2, 4, true);

        assertThatThrownBy(() -> counts.count(2, "likes", null, Hop.TO_OWNER))
                .isInstanceOf(ApiException.class).hasMessageContaining("moving to another instance");
        assertThat(cluster.forwardedPaths()).isEmpty();
    }

    @Test
    void shouldFetchAFeedWithOneRequestPerOwnerAndKeepTheAskedOrder() {
        cluster.ownedElsewhere(10, 1, false).ownedHere(11, 2).ownedElsewhere(12, 5, false)
                .counted(11, "likes", 1, AT)
                .otherAnswers(path -> new CountService.Feed(List.of(
                        new PostCounts(10, Map.of("likes", 3L, "views", 4L), 0L, null),
                        new PostCounts(12, Map.of("likes", 5L, "views", 6L), 0L, null))));

        List<PostCounts> feed = counts.feed(List.of(10L, 11L, 12L), Hop.CLIENT).join().counters();

        assertThat(feed).extracting(PostCounts::postId).containsExactly(10L, 11L, 12L);
        assertThat(feed).extracting(post -> post.count("likes")).containsExactly(3L, 1L, 5L);
        assertThat(feed.get(1).liveUsers()).isEqualTo(7L);
        assertThat(cluster.forwardedPaths()).containsExactly("/v1/counters?post_ids=10,12");
    }
}
