package dev.tally.schemas;

import java.util.UUID;

/**
 * The answer to a write whose append is durable but whose count could not be confirmed in time: it will be
 * counted, exactly once.
 */
public record AcceptedResponse(String status, UUID eventId) {

    public static AcceptedResponse of(UUID eventId) {
        return new AcceptedResponse("accepted", eventId);
    }
}
