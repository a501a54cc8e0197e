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
 * @param region         this deployment's region ({@code TALLY_REGION})
 * @param multiRegion    whether there are peer regions ({@code TALLY_PEER_REGIONS}), whose per-region figures the
 *                       processor keeps; with none, every count is this region's
 */
public record QuerySettings(CounterCatalog counters, HostInfo self, Duration forwardTimeout, String region,
                            boolean multiRegion) {

    public static QuerySettings fromEnv(Env env, SharedSettings shared, String applicationServer) {
        return new QuerySettings(
                shared.counters(),
                HostInfo.buildFromEndpoint(applicationServer),
                env.millis("TALLY_FORWARD_TIMEOUT_MS", Duration.ofSeconds(2)),
                shared.regions().home(),
                !shared.regions().peers().isEmpty());
    }
}
