package dev.tally.query;

import com.fasterxml.jackson.databind.JavaType;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.state.HostInfo;

/** Reads from the instance that owns a post: {@link RemoteCounts} forwards over HTTP. */
public interface OwnerReads {

    /** GETs {@code pathAndQuery} from {@code host}, marked as forwarded, and reads the JSON answer as {@code type}. */
    <T> CompletableFuture<T> get(HostInfo host, String pathAndQuery, JavaType type);
}
