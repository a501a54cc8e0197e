package dev.tally.config;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Reads typed settings from environment variables, with defaults. A malformed value fails at start-up with the
 * variable's name, never later with a confusing error.
 */
public record Env(Map<String, String> values, Set<String> requested) {

    public Env(Map<String, String> values) {
        this(values, ConcurrentHashMap.newKeySet());
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    /** Every variable name a setting asked for so far: lets a test check a deployment sets only real settings. */
    @Override
    public Set<String> requested() {
        return Set.copyOf(requested);
    }

    public String string(String name, String fallback) {
        requested.add(name);
        String value = values.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** Every set variable whose name starts with the prefix, keyed by the rest of its name. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> found = new TreeMap<>();
        values.forEach((name, value) -> {
            if (name.startsWith(prefix) && name.length() > prefix.length() && value != null && !value.isBlank()) {
                requested.add(name);
                found.put(name.substring(prefix.length()), value.trim());
            }
        });
        return found;
    }

    public int integer(String name, int fallback) {
        return parse(name, fallback, Integer::parseInt);
    }

    public long longValue(String name, long fallback) {
        return parse(name, fallback, Long::parseLong);
    }

    /** A duration in milliseconds, e.g. {@code TALLY_WRITE_CONFIRM_TIMEOUT_MS=2000}. */
    public Duration millis(String name, Duration fallback) {
        return parse(name, fallback, text -> Duration.ofMillis(Long.parseLong(text)));
    }

    private <T> T parse(String name, T fallback, Function<String, T> parser) {
        requested.add(name);
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return parser.apply(value.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " has an invalid value: " + value, e);
        }
    }
}
