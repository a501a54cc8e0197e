package dev.tally.ingest;

import dev.tally.http.ApiException;
import dev.tally.http.JsonBody;
import dev.tally.http.security.Caller;
import dev.tally.schemas.AcceptedResponse;
import dev.tally.schemas.BatchAcceptedResponse;
import dev.tally.schemas.CounterEvent;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The write side of tally's HTTP API, one pipeline top to bottom: {@link WriteParser} parses and checks the
 * request (nothing is appended for a refused one), an {@link EventSink} appends it (folding anonymous writes on
 * the way), and the outcome becomes the answer here.
 *
 * <ul>
 *   <li>{@code PUT /v1/{post_id}/{counter}} with {@code {"action":"increment"}}: 200 with the count that includes
 *       the write once the processor applied it, or 202 with the event id when that takes longer than the confirm
 *       timeout (the append is durable either way). An {@code Idempotency-Key} gives every copy of a request the
 *       same event id, so the processor applies it once and all copies get its answer. {@code Prefer:
 *       respond-async} answers 202 as soon as the append is durable.</li>
 *   <li>{@code DELETE /v1/{post_id}/{counter}}: an admin resets the counter to 0, recorded as a reset event;
 *       answered like a PUT.</li>
 *   <li>{@code POST /v1/events}: up to {@value #MAX_BATCH_EVENTS} events for clients that buffer (an app flushing
 *       its view events, an importer), answered 202 with the event ids in request order once every append is
 *       durable (acks=all). The counts follow as the processor applies them.</li>
 * </ul>
 */
public final class IngestRoutes implements AutoCloseable {

    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    public static final int MAX_BATCH_EVENTS = 1_000;
    /** 1,000 events of ~150 bytes each with room to spare; a larger body is refused before it is parsed. */
    public static final int MAX_BATCH_BODY_BYTES = 512 * 1024;

    private final WriteParser parser;
    private final EventSink writes;
    private final EventSink batches;
    private final int maxBodyBytes;
    private final IngestMeters meters;

    /** The write API on Kafka: appends through {@code publisher}, counts confirmed by {@code confirmations}. */
    public static IngestRoutes on(IngestSettings settings, EventPublisher publisher, WriteConfirmations confirmations,
                                  Clock clock, IngestMeters meters) {
        EventSink appends = new PublishingSink(publisher, confirmations, settings.confirmTimeout());
        EventSink writes = settings.foldWindow().isZero() ? appends
                : new FoldingSink(appends, meters).flushEvery(settings.foldWindow());
        return new IngestRoutes(new WriteParser(settings.counters(), clock), writes, appends, settings.maxBodyBytes(), meters);
    }

    /**
     * @param writes  where single writes go (folding on the way)
     * @param batches where the events of a batch, and resets, go, each as it is
     */
    IngestRoutes(WriteParser parser, EventSink writes, EventSink batches, int maxBodyBytes, IngestMeters meters) {
        this.parser = parser;
        this.writes = writes;
        this.batches = batches;
        this.maxBodyBytes = maxBodyBytes;
        this.meters = meters;
    }

    /** Routes the {@code ingest} role serves: {@code /v1/events} is a fixed word, the PUT takes any counter. */
    public void registerBatch(JavalinConfig config) {
        config.routes.post("/v1/events", this::batch);
    }

    public void registerWrites(JavalinConfig config) {
        config.routes.put("/v1/{post_id}/{counter}", this::write);
        config.routes.delete("/v1/{post_id}/{counter}", this::reset);
    }

    private void write(Context ctx) {
        CounterEvent event = refusedCounted(() -> parser.put(ctx.pathParam("post_id"), ctx.pathParam("counter"),
                ctx.header(IDEMPOTENCY_HEADER), JsonBody.read(ctx, maxBodyBytes), Caller.of(ctx)));
        boolean async = prefersAsync(ctx.header("Prefer"));
        CompletableFuture<WriteOutcome> outcome = writes.write(event, async ? EventSink.Wait.DURABLE : EventSink.Wait.COUNTED);
        ctx.future(() -> answered(ctx, outcome.thenAccept(written -> {
            if (written instanceof WriteOutcome.Counted counted) {
                ctx.json(counted.update().toResponse());
                return;
            }
            if (async) {
                ctx.header("Preference-Applied", "respond-async");
            }
            ctx.status(202).json(AcceptedResponse.of(((WriteOutcome.Accepted) written).eventId()));
        })));
    }

    /**
     * An admin's reset: appended as it is (never folded: a fold would turn it into an amount), answered like a write
     * with the count, 0, once applied.
     */
    private void reset(Context ctx) {
        CounterEvent event = refusedCounted(() -> parser.reset(ctx.pathParam("post_id"), ctx.pathParam("counter"),
                ctx.header(IDEMPOTENCY_HEADER), Caller.of(ctx)));
        CompletableFuture<WriteOutcome> outcome = batches.write(event, EventSink.Wait.COUNTED);
        ctx.future(() -> answered(ctx, outcome.thenAccept(written -> {
            if (written instanceof WriteOutcome.Counted counted) {
                ctx.json(counted.update().toResponse());
                return;
            }
            ctx.status(202).json(AcceptedResponse.of(((WriteOutcome.Accepted) written).eventId()));
        })));
    }

    private void batch(Context ctx) {
        List<CounterEvent> events = refusedCounted(() -> parser.batch(JsonBody.read(ctx, MAX_BATCH_BODY_BYTES), MAX_BATCH_EVENTS,
                Caller.of(ctx)));
        CompletableFuture<?>[] appends = events.stream()
                .map(event -> batches.write(event, EventSink.Wait.DURABLE)).toArray(CompletableFuture[]::new);
        CompletableFuture<List<UUID>> all = CompletableFuture.allOf(appends).handle((done, error) -> {
            if (error != null) {
                Throwable cause = error.getCause() == null ? error : error.getCause();
                throw ApiException.unavailable("not every event could be appended to Kafka (" + cause.getMessage()
                        + "); retry the batch with idempotency keys to count each event once");
            }
            return events.stream().map(CounterEvent::eventId).toList();
        });
        ctx.future(() -> answered(ctx, all.thenAccept(ids -> ctx.status(202).json(BatchAcceptedResponse.of(ids)))));
    }

    private <T> T refusedCounted(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (ApiException refusal) {
            meters.rejected(refusal);
            throw refusal;
        }
    }

    /** Counts the answer by status once the write's outcome is known: 200, 202, or the failure's status. */
    private CompletableFuture<Void> answered(Context ctx, CompletableFuture<Void> answer) {
        return answer.whenComplete((done, error) -> {
            Throwable cause = error != null && error.getCause() != null ? error.getCause() : error;
            meters.answered(cause == null ? ctx.statusCode() : cause instanceof ApiException api ? api.status() : 500);
        });
    }

    /** Appends what is still folding. */
    @Override
    public void close() {
        if (writes instanceof FoldingSink folding) {
            folding.close();
        }
    }

    /**
     * {@code Prefer: respond-async} (RFC 7240): the client does not need the new count, so the answer is 202 as soon
     * as the append is durable, without waiting for the processor. Feeds of views and SDKs that fire and forget use it.
     */
    static boolean prefersAsync(String prefer) {
        if (prefer == null) {
            return false;
        }
        for (String preference : prefer.split(",")) {
            if (preference.trim().toLowerCase(Locale.ROOT).startsWith("respond-async")) {
                return true;
            }
        }
        return false;
    }
}
