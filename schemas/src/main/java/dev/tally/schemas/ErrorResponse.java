package dev.tally.schemas;

/**
 * Every error answer of tally's HTTP APIs: a stable machine-readable {@code error} code and a human message.
 * Codes: bad_request, not_found, method_not_allowed, payload_too_large, unsupported_media_type,
 * too_many_requests, unavailable, internal_error.
 */
public record ErrorResponse(String error, String message) {
}
