package dev.tally.http;

/**
 * A request tally refuses, with the status and the stable error code the client sees in
 * {@code {"error": code, "message": message}}. Thrown at the edge, before anything is produced to Kafka.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Integer retryAfterSeconds;
    private final String bearerChallenge;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null, null);
    }

    private ApiException(int status, String code, String message, Integer retryAfterSeconds, String bearerChallenge) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.bearerChallenge = bearerChallenge;
    }

    /**
     * 401 with {@code WWW-Authenticate: Bearer realm="tally"} (RFC 6750): {@code invalidToken} adds
     * {@code error="invalid_token"}, for a token that was sent and refused rather than missing.
     */
    public static ApiException unauthorized(String message, boolean invalidToken) {
        String challenge = "Bearer realm=\"tally\"" + (invalidToken ? ", error=\"invalid_token\"" : "");
        return new ApiException(401, "unauthorized", message, null, challenge);
    }

    /** The same refusal, its message prefixed (a batch names the event: {@code events[3]: ...}); headers kept. */
    public ApiException prefixed(String prefix) {
        return new ApiException(status, code, prefix + getMessage(), retryAfterSeconds, bearerChallenge);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
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
        return tooManyRequests(message, 1);
    }

    public static ApiException tooManyRequests(String message, long retryAfterSeconds) {
        return new ApiException(429, "too_many_requests", message, (int) Math.max(1, Math.min(retryAfterSeconds, 3600)), null);
    }

    /** The answer when a count cannot be read right now: never a guess, a retry hint instead. */
    public static ApiException unavailable(String message) {
        return new ApiException(503, "unavailable", message, 1, null);
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

    /** The {@code WWW-Authenticate} value of a 401; null otherwise. */
    public String bearerChallenge() {
        return bearerChallenge;
    }
}
