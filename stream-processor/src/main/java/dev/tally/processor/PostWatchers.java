package dev.tally.processor;

import dev.tally.schemas.VarInts;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Value of the {@value #STORE} store, keyed by post id: the instances that stream the post, each with the partition
 * of the changes topic it reads and when its latest report arrived (processor clock). Binary: per watcher a varint
 * length and the UTF-8 instance id, a varint partition, a varint epoch millis.
 */
record PostWatchers(List<Watcher> watchers) {

    static final String STORE = "post-watchers";

    record Watcher(String instanceId, int partition, long seenAtMillis) {
    }

    static final Serde<PostWatchers> SERDE = Serdes.serdeFrom(
            (topic, value) -> value == null ? null : value.toBytes(),
            (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

    PostWatchers {
        watchers = List.copyOf(watchers);
    }

    /** This list with {@code instanceId}'s entry replaced by {@code watcher}, or removed when it is null. */
    PostWatchers with(String instanceId, Watcher watcher) {
        List<Watcher> next = new ArrayList<>(watchers.size() + 1);
        for (Watcher existing : watchers) {
            if (!existing.instanceId().equals(instanceId)) {
                next.add(existing);
            }
        }
        if (watcher != null) {
            next.add(watcher);
        }
        return new PostWatchers(next);
    }

    /** Only the watchers heard from within {@code expiryMillis} of {@code now}. */
    PostWatchers heardSince(long now, long expiryMillis) {
        return new PostWatchers(watchers.stream().filter(w -> now - w.seenAtMillis() < expiryMillis).toList());
    }

    /** The distinct partitions to send a change to. */
    List<Integer> partitions() {
        return watchers.stream().map(Watcher::partition).distinct().sorted().toList();
    }

    boolean isEmpty() {
        return watchers.isEmpty();
    }

    byte[] toBytes() {
        int size = 0;
        List<byte[]> ids = new ArrayList<>(watchers.size());
        for (Watcher watcher : watchers) {
            byte[] id = watcher.instanceId().getBytes(StandardCharsets.UTF_8);
            ids.add(id);
            size += id.length + 3 * VarInts.MAX_BYTES;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        for (int i = 0; i < watchers.size(); i++) {
            VarInts.writeUnsigned(ids.get(i).length, buffer);
            buffer.put(ids.get(i));
            VarInts.writeUnsigned(watchers.get(i).partition(), buffer);
            VarInts.writeUnsigned(watchers.get(i).seenAtMillis(), buffer);
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    static PostWatchers fromBytes(byte[] bytes) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            List<Watcher> watchers = new ArrayList<>();
            while (buffer.hasRemaining()) {
                byte[] id = new byte[Math.toIntExact(VarInts.readUnsigned(buffer))];
                buffer.get(id);
                int partition = Math.toIntExact(VarInts.readUnsigned(buffer));
                long seenAt = VarInts.readUnsigned(buffer);
                watchers.add(new Watcher(new String(id, StandardCharsets.UTF_8), partition, seenAt));
            }
            return new PostWatchers(watchers);
        } catch (RuntimeException e) {
            throw new SerializationException("post watchers: corrupt value of " + bytes.length + " bytes", e);
        }
    }
}
