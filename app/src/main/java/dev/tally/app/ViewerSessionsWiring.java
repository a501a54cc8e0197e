package dev.tally.app;

import dev.tally.live.LiveRoutes;
import dev.tally.live.LiveSettings;
import dev.tally.live.LocalSessions;
import dev.tally.live.PresenceReporter;
import io.micrometer.core.instrument.Gauge;
import java.time.Clock;

/**
 * Every node, whatever its roles, keeps the live-viewer sessions opened on it and reports them on the presence
 * topic, where processor nodes sum them into {@code live_users}.
 */
final class ViewerSessionsWiring {

    private ViewerSessionsWiring() {
    }

    /** This node's sessions, and the reporter that publishes them. */
    record Viewers(LocalSessions sessions, PresenceReporter reporter) {
    }

    static Viewers wire(NodeAssembly node, LiveSettings live, Clock clock) {
        LocalSessions sessions = new LocalSessions(clock, live.sessionTimeout());
        Gauge.builder(LocalSessions.OPEN, sessions, LocalSessions::total)
                .description("viewer sessions open on this instance, joined and streaming").register(node.registry());
        PresenceReporter reporter = node.closeLater(new PresenceReporter(live, sessions, clock, node.registry()).start());
        node.routes().fixedWords(new LiveRoutes(sessions, live)::register, "live_users");
        return new Viewers(sessions, reporter);
    }
}
