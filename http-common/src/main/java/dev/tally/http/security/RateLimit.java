package dev.tally.http.security;

import java.util.Optional;

/**
 * One token-bucket limit: {@code perSecond} requests a second on average, with bursts of up to {@code burst}.
 * Written {@code <per-second>[:<burst>]} in the environment ({@code 20:40}; a missing burst equals the rate), or
 * {@code off}.
 */
public record RateLimit(long perSecond, long burst) {

    public RateLimit {
        if (perSecond < 1 || burst < perSecond) {
            throw new IllegalArgumentException("a rate limit needs at least 1 a second and a burst of at least the rate");
        }
    }

    /** Empty for {@code off}. Throws naming the variable and the expected format. */
    public static Optional<RateLimit> parse(String variable, String text) {
        String value = text.trim();
        if (value.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        try {
            int colon = value.indexOf(':');
            long rate = Long.parseLong(colon < 0 ? value : value.substring(0, colon));
            long burst = colon < 0 ? rate : Long.parseLong(value.substring(colon + 1));
            return Optional.of(new RateLimit(rate, burst));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(variable + " must be <per-second>[:<burst>] (e.g. 20:40) or off; got " + text);
        }
    }

    @Override
    public String toString() {
        return perSecond + "/s, burst " + burst;
    }
}
