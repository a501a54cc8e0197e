package dev.tally.query;

import com.fasterxml.jackson.databind.JavaType;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.state.HostInfo;

/** Reads from another instance that holds a post's counts: {@link RemoteCounts} forwards over HTTP. */
public interface OwnerReads {

    /**
     * GETs {@code pathAndQuery} from {@code host}, marked with the {@code hop} it takes (to the owner, or to a standby
     * copy), and reads the JSON answer as {@code type}.
     */
    <T> CompletableFuture<T> get(HostInfo host, String pathAndQuery, JavaType type, Hop hop);
}
