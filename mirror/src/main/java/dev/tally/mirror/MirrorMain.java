package dev.tally.mirror;

import dev.tally.config.Env;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.connect.mirror.MirrorMaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./tally mirror}: MirrorMaker 2 driving the flows into this region ({@link MirrorSettings}) until the process
 * is stopped (MirrorMaker's own shutdown hook stops it on SIGTERM). Runs on Kafka 4.3.1 classes, in a JVM of its
 * own: the launcher starts it with this module's class path, never app's.
 */
public final class MirrorMain {

    private MirrorMain() {
    }

    public static void main(String[] args) {
        MirrorSettings settings;
        try {
            applyLogFormat(System.getenv("TALLY_LOG_FORMAT"));
            settings = MirrorSettings.fromEnv(Env.system());
        } catch (IllegalArgumentException e) {
            System.err.println("tally mirror: " + e.getMessage());
            System.exit(2);
            return;
        }
        Logger log = LoggerFactory.getLogger(MirrorMain.class);
        log.info("mirror: copying {} of {} into {} ({}), exactly once", settings.topic(), settings.regions().peers(),
                settings.regions().home(), settings.clusters().get(settings.regions().home()));
        MirrorMaker mirror = new MirrorMaker(settings.mirrorMakerConfig(), List.of(settings.regions().home()), Time.SYSTEM);
        mirror.start();
        mirror.awaitStop();
    }

    /** logback.xml picks its appender by {@code tally.log.format}, as the launcher's does: plain or json. */
    static void applyLogFormat(String value) {
        String format = value == null || value.isBlank() ? "plain" : value.trim().toLowerCase(Locale.ROOT);
        if (!format.equals("plain") && !format.equals("json")) {
            throw new IllegalArgumentException("TALLY_LOG_FORMAT must be plain or json; got \"" + value + "\"");
        }
        if (System.getProperty("tally.log.format") == null) {
            System.setProperty("tally.log.format", format);
        }
    }
}
