package dev.tally.query;

import dev.tally.config.Env;
import dev.tally.config.SharedSettings;
import dev.tally.schemas.CounterCatalog;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The query API's settings.
 *
 * @param self           this instance as the others reach it (the processor's application.server)
 * @param forwardTimeout how long a read forwarded to the owning instance may take before it fails over
 */
public record QuerySettings(CounterCatalog counters, HostInfo self, Duration forwardTimeout) {

    public static QuerySettings fromEnv(Env env, SharedSettings shared, String applicationServer) {
        return new QuerySettings(
                shared.counters(),
                HostInfo.buildFromEndpoint(applicationServer),
                env.millis("TALLY_FORWARD_TIMEOUT_MS", Duration.ofSeconds(2)));
    }
}
