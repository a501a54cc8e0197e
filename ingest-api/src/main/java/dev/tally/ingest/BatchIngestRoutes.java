package dev.tally.ingest;

import dev.tally.http.ApiException;
import dev.tally.http.JsonBody;
import dev.tally.schemas.BatchAcceptedResponse;
import dev.tally.schemas.CounterEvent;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/events}: up to {@value #MAX_EVENTS} counter events in one request, for clients that buffer (an
 * app flushing its view events, an importer). Every event is validated as a PUT would be before anything is
 * produced; then all are handed to the producer at once, which batches them, and the answer, 202 with the event
 * ids in request order, is sent from the producer's callbacks once every append is durable (acks=all). The counts
 * follow as the processor applies them; each event's Idempotency-Key works as it does for a PUT.
 */
public final class BatchIngestRoutes {

    public static final int MAX_EVENTS = 1_000;
    /** 1,000 events of ~150 bytes each with room to spare; a larger body is refused before it is parsed. */
    public static final int MAX_BODY_BYTES = 512 * 1024;

    private final IngestSettings settings;
    private final EventPublisher publisher;
    private final Clock clock;
    private final IngestMeters meters;

    public BatchIngestRoutes(IngestSettings settings, EventPublisher publisher, Clock clock, IngestMeters meters) {
        this.settings = settings;
        this.publisher = publisher;
        this.clock = clock;
        this.meters = meters;
    }

    public void register(JavalinConfig config) {
        config.routes.post("/v1/events", this::write);
    }

    private void write(Context ctx) {
        BatchRequest batch;
        try {
            batch = BatchRequest.parse(JsonBody.read(ctx, MAX_BODY_BYTES), settings.counters(), MAX_EVENTS, Instant.now(clock));
        } catch (ApiException refusal) {
            meters.rejected(refusal);
            throw refusal;
        }
        ctx.future(() -> appendAll(batch.events())
                .thenAccept(ids -> ctx.status(202).json(BatchAcceptedResponse.of(ids)))
                .whenComplete((done, error) -> meters.answered(error == null ? 202 : 503)));
    }

    private CompletableFuture<List<UUID>> appendAll(List<CounterEvent> events) {
        CompletableFuture<?>[] appends = events.stream().map(publisher::publish).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(appends).handle((done, error) -> {
            if (error != null) {
                Throwable cause = error.getCause() == null ? error : error.getCause();
                throw ApiException.unavailable("not every event could be appended to Kafka (" + cause.getMessage()
                        + "); retry the batch with idempotency keys to count each event once");
            }
            return events.stream().map(CounterEvent::eventId).toList();
        });
    }
}
