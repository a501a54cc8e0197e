package dev.tally.app;

import dev.tally.schemas.CounterCatalog;
import io.javalin.config.JavalinConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The one place that decides the order routes are registered in. Javalin answers with the first route that
 * matches, and {@code /v1/{post_id}/{counter}} matches any word after a post id, so a route whose segment after
 * the post id is a fixed word ({@code live_users}, {@code stream}) must come first, and the words themselves
 * can never be counter names: every such word must be one {@link CounterCatalog} reserves, or the node refuses to
 * start.
 */
final class ApiRoutes {

    private final List<Consumer<JavalinConfig>> admin = new ArrayList<>();
    private final List<Consumer<JavalinConfig>> operational = new ArrayList<>();
    private final List<Consumer<JavalinConfig>> fixedWords = new ArrayList<>();
    private final List<Consumer<JavalinConfig>> anyCounter = new ArrayList<>();
    private final List<String> reservedWords = new ArrayList<>();

    /**
     * Health and the metrics scrape: for the platform, not for clients, so served on the admin port when there is
     * one ({@link #admin()}), else first on the public one.
     */
    ApiRoutes admin(Consumer<JavalinConfig> routes) {
        admin.add(routes);
        return this;
    }

    /** The demo page and whatever else clients may see at paths no other route can match. */
    ApiRoutes operational(Consumer<JavalinConfig> routes) {
        operational.add(routes);
        return this;
    }

    /** Routes of {@code /v1/{post_id}/<word>} or {@code /v1/<word>}, for the given fixed words. */
    ApiRoutes fixedWords(Consumer<JavalinConfig> routes, String... words) {
        fixedWords.add(routes);
        reserve(words);
        return this;
    }

    /**
     * Routes of {@code /v1/{post_id}} and {@code /v1/{post_id}/{counter}}, and the fixed words of routes in the
     * same group that it registers before those ({@code /v1/counters} before {@code /v1/{post_id}}).
     */
    ApiRoutes anyCounter(Consumer<JavalinConfig> routes, String... wordsRegisteredFirst) {
        anyCounter.add(routes);
        reserve(wordsRegisteredFirst);
        return this;
    }

    private void reserve(String... words) {
        for (String word : words) {
            if (!CounterCatalog.isReserved(word)) {
                throw new IllegalStateException("route word " + word + " could also be a counter's name: reserve it in CounterCatalog");
            }
            reservedWords.add(word);
        }
    }

    /** The words that {@link #fixedWords} routes take away from counter names. */
    List<String> reservedWords() {
        return List.copyOf(reservedWords);
    }

    /** Every route group, fixed words before any counter. */
    List<Consumer<JavalinConfig>> inOrder() {
        return Stream.of(admin, operational, fixedWords, anyCounter).flatMap(List::stream).toList();
    }

    /** The public routes when {@link #admin()} is served on a port of its own. */
    List<Consumer<JavalinConfig>> publicOnly() {
        return Stream.of(operational, fixedWords, anyCounter).flatMap(List::stream).toList();
    }

    List<Consumer<JavalinConfig>> admin() {
        return List.copyOf(admin);
    }
}
