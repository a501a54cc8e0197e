package dev.tally.app;

import java.util.Locale;
import java.util.Map;

/**
 * {@code TALLY_LOG_FORMAT}: {@code plain} (the default, for people) or {@code json} (one object per line, for a log
 * shipper). logback.xml picks its appender by the system property {@value #PROPERTY}, which {@link TallyMain} sets
 * from the environment before anything logs; a value tally does not know stops it at once rather than logging
 * nowhere.
 */
final class LogFormat {

    static final String ENV = "TALLY_LOG_FORMAT";
    static final String PROPERTY = "tally.log.format";
    static final String PLAIN = "plain";
    static final String JSON = "json";

    private LogFormat() {
    }

    /** The appender logback.xml should use for this environment. */
    static String fromEnv(Map<String, String> env) {
        String value = env.getOrDefault(ENV, "").trim().toLowerCase(Locale.ROOT);
        if (value.isEmpty()) {
            return PLAIN;
        }
        if (!value.equals(PLAIN) && !value.equals(JSON)) {
            throw new IllegalArgumentException(ENV + " must be " + PLAIN + " or " + JSON + "; got \"" + env.get(ENV) + "\"");
        }
        return value;
    }

    /** Sets the property unless the JVM was given one (-Dtally.log.format=…). Call before the first logger. */
    static void apply(Map<String, String> env) {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, fromEnv(env));
        }
    }
}
