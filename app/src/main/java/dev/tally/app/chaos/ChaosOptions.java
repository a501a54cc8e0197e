package dev.tally.app.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What one fault run does: how long faults go on, the seed that picks them (the same seed, the same faults in the
 * same order against the same targets), where the nodes keep their data and logs, and the shape of the load.
 *
 * @param duration how long rounds of faults start; every kind of fault runs at least once, however short this is
 * @param posts    posts the writers spread their likes and views over
 * @param writers  writer threads, each with users of its own (a user's writes go one after another)
 * @param sessionTimeout the processors' group session timeout; a frozen processor stays frozen longer than this
 */
public record ChaosOptions(Duration duration, long seed, Path dir, int posts, int writers, Duration sessionTimeout) {

    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(5);

    /** {@code [--duration 5m|90s] [--seed N] [--dir PATH]}; everything else has a default. */
    public static ChaosOptions parse(List<String> args) {
        Duration duration = DEFAULT_DURATION;
        long seed = System.currentTimeMillis();
        Path dir = Path.of("data", "chaos");
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args.get(++i);
            switch (name) {
                case "--duration" -> duration = parseDuration(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--dir" -> dir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new ChaosOptions(duration, seed, dir, 300, 4, Duration.ofSeconds(8));
    }

    /** {@code 90s}, {@code 5m} or {@code 1h}. */
    static Duration parseDuration(String text) {
        if (!text.matches("\\d+[smh]")) {
            throw new IllegalArgumentException("a duration is a number and s, m or h, like 90s or 5m: " + text);
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    public ChaosOptions withDuration(Duration value) {
        return new ChaosOptions(value, seed, dir, posts, writers, sessionTimeout);
    }
}
