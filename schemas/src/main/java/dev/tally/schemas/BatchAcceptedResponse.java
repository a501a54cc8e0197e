package dev.tally.schemas;

import java.util.List;
import java.util.UUID;

/**
 * The answer to {@code POST /v1/events}: every event of the batch is durably appended and will be counted exactly
 * once; {@code event_ids} are in the order of the request's events.
 */
public record BatchAcceptedResponse(String status, int accepted, List<UUID> eventIds) {

    public static BatchAcceptedResponse of(List<UUID> eventIds) {
        return new BatchAcceptedResponse("accepted", eventIds.size(), List.copyOf(eventIds));
    }
}
