package dev.tally.http;

/**
 * A request tally refuses, with the status and the stable error code the client sees in
 * {@code {"error": code, "message": message}}. Thrown at the edge, before anything is produced to Kafka.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    private ApiException(int status, String code, String message, Integer retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException payloadTooLarge(String message) {
        return new ApiException(413, "payload_too_large", message);
    }

    public static ApiException unsupportedMediaType(String message) {
        return new ApiException(415, "unsupported_media_type", message);
    }

    public static ApiException tooManyRequests(String message) {
        return new ApiException(429, "too_many_requests", message, 1);
    }

    /** The answer when a count cannot be read right now: never a guess, a retry hint instead. */
    public static ApiException unavailable(String message) {
        return new ApiException(503, "unavailable", message, 1);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
