package dev.tally.schemas;

/**
 * Every error answer of tally's HTTP APIs: a stable machine-readable {@code error} code and a human message.
 * Codes: bad_request, not_found, method_not_allowed, request_timeout, payload_too_large, uri_too_long,
 * unsupported_media_type, too_many_requests, headers_too_large, unavailable,
 * http_version_not_supported, internal_error.
 */
public record ErrorResponse(String error, String message) {
}
