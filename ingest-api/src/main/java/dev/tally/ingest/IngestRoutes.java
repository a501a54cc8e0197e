package dev.tally.ingest;

import dev.tally.http.ApiException;
import dev.tally.http.JsonBody;
import dev.tally.http.Params;
import dev.tally.schemas.AcceptedResponse;
import dev.tally.schemas.CounterEvent;
import dev.tally.schemas.CounterKind;
import dev.tally.schemas.CounterUpdate;
import dev.tally.schemas.EventRules;
import dev.tally.schemas.RuleViolation;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The write side of tally's HTTP API: {@code PUT /v1/{post_id}/{counter}} with {@code {"action":"increment"}}.
 *
 * <p>Every check runs before anything is produced. The answer is sent from the producer's and the processor's
 * callbacks: 200 with the count that includes this write once the processor applied it, or 202 with the event id
 * when that takes longer than the confirm timeout (the append is durable either way). An {@code Idempotency-Key}
 * gives every copy of a request the same event id, so the processor applies it once and all copies get its answer.
 */
public final class IngestRoutes implements AutoCloseable {

    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    private final IngestSettings settings;
    private final EventPublisher publisher;
    private final WriteConfirmations confirmations;
    private final Clock clock;
    private final IngestMeters meters;
    private final WriteFolder folder;

    public IngestRoutes(IngestSettings settings, EventPublisher publisher, WriteConfirmations confirmations, Clock clock,
                        IngestMeters meters) {
        this.settings = settings;
        this.publisher = publisher;
        this.confirmations = confirmations;
        this.clock = clock;
        this.meters = meters;
        this.folder = settings.foldWindow().isZero() ? null : new WriteFolder(settings.foldWindow(), this::submit, meters);
    }

    public void register(JavalinConfig config) {
        config.routes.put("/v1/{post_id}/{counter}", this::write);
    }

    private void write(Context ctx) {
        CounterEvent event;
        try {
            event = validate(ctx);
        } catch (ApiException refusal) {
            meters.rejected(refusal);
            throw refusal;
        }
        CompletableFuture<Submission> submission = folder != null && WriteFolder.canFold(event)
                ? folder.fold(event)
                : CompletableFuture.completedFuture(submit(event));
        if (prefersAsync(ctx.header("Prefer"))) {
            ctx.future(() -> counted(ctx, submission.thenCompose(IngestRoutes::appended)
                    .thenAccept(appended -> ctx.status(202).header("Preference-Applied", "respond-async")
                            .json(AcceptedResponse.of(appended.event().eventId())))));
            return;
        }
        ctx.future(() -> counted(ctx, submission.thenCompose(IngestRoutes::appended)
                .thenCompose(appended -> appended.applied().thenAccept(answer -> answer.ifPresentOrElse(
                        update -> ctx.json(update.toResponse()),
                        () -> ctx.status(202).json(AcceptedResponse.of(appended.event().eventId())))))));
    }

    /** Counts the answer by status once the write's outcome is known: 200, 202, or the failure's status. */
    private CompletableFuture<Void> counted(Context ctx, CompletableFuture<Void> answer) {
        return answer.whenComplete((done, error) -> {
            Throwable cause = error != null && error.getCause() != null ? error.getCause() : error;
            meters.answered(cause == null ? ctx.statusCode() : cause instanceof ApiException api ? api.status() : 500);
        });
    }

    private CounterEvent validate(Context ctx) {
        long postId = Params.positiveId("post_id", ctx.pathParam("post_id"));
        String counter = ctx.pathParam("counter");
        CounterKind kind = Params.counterKind(settings.counters(), counter);
        String idempotencyKey = ctx.header(IDEMPOTENCY_HEADER);
        if (idempotencyKey != null) {
            try {
                EventRules.checkIdempotencyKey(IDEMPOTENCY_HEADER, idempotencyKey);
            } catch (RuleViolation e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        WriteRequest request = WriteRequest.parse(JsonBody.read(ctx, settings.maxBodyBytes()));
        return WriteRules.event(postId, counter, kind, request.action(), request.userId(), idempotencyKey,
                Instant.now(clock));
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
            if (preference.trim().toLowerCase(java.util.Locale.ROOT).startsWith("respond-async")) {
                return true;
            }
        }
        return false;
    }

    /** A timed-out append may still have reached the log, so the client is told how to retry safely. */
    private static ApiException notAppended(Throwable error) {
        Throwable cause = error.getCause() == null ? error : error.getCause();
        return ApiException.unavailable("Kafka did not acknowledge the event (" + cause.getMessage()
                + "); retry with the same Idempotency-Key to count it once");
    }

    /** Registers for the processor's update before appending, so a fast update cannot be missed. */
    private Submission submit(CounterEvent event) {
        CompletableFuture<Optional<CounterUpdate>> applied = confirmations.expect(event.eventId(), settings.confirmTimeout());
        CompletableFuture<RecordMetadata> appended = publisher.publish(event);
        appended.whenComplete((metadata, error) -> {
            if (error != null) {
                applied.cancel(false);
            }
        });
        return new Submission(event, appended, applied);
    }

    /** The submission once durable; a failed or timed-out append fails the request with 503. */
    private static CompletableFuture<Submission> appended(Submission submission) {
        return submission.appended().handle((metadata, error) -> {
            if (error != null) {
                throw notAppended(error);
            }
            return submission;
        });
    }

    @Override
    public void close() {
        if (folder != null) {
            folder.close();
        }
    }
}
