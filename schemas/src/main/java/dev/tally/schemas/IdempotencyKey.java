package dev.tally.schemas;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A client's Idempotency-Key scoped to one counter of one post. Its bytes (post id, counter name length and bytes,
 * then the key's bytes) name the event every copy of the request carries, and key the processor's idempotency store.
 */
public record IdempotencyKey(long postId, String counter, String key) {

    /** 1–128 visible ASCII characters, as the HTTP header allows. */
    public static final Pattern FORMAT = Pattern.compile("[\\x21-\\x7e]{1,128}");

    public byte[] toBytes() {
        return new PostScopedKey(postId, counter, key.getBytes(StandardCharsets.US_ASCII)).toBytes();
    }

    public static IdempotencyKey fromBytes(byte[] bytes) {
        PostScopedKey scoped = PostScopedKey.fromBytes(bytes, "idempotency key");
        return new IdempotencyKey(scoped.postId(), scoped.counter(), new String(scoped.tail(), StandardCharsets.US_ASCII));
    }

    /**
     * The event id every copy of the request carries, so that all copies, on any ingest instance, are answered
     * for the same event.
     */
    public UUID eventId() {
        return UUID.nameUUIDFromBytes(toBytes());
    }
}
