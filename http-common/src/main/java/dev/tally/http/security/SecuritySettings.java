package dev.tally.http.security;

import dev.tally.config.Env;
import dev.tally.schemas.CounterKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may do what at tally's HTTP edge, read once from the environment (the README's "Securing tally" lists each
 * variable).
 *
 * @param auth            {@code none} trusts the body's {@code user_id} (development only); {@code jwt} takes the
 *                        user from a verified bearer token
 * @param jwks            {@code TALLY_JWT_JWKS_URL}: an http(s) URL of a JWK set (RS256/ES256), fetched and cached,
 *                        or the path of a JWK set file
 * @param secret          {@code TALLY_JWT_SECRET}: an HS256 key of at least 32 bytes
 * @param issuer          {@code iss} every token must carry, if set
 * @param audience        {@code aud} every token must contain, if set
 * @param userClaim       the claim holding the user id, a positive 64-bit integer ({@code sub})
 * @param adminClaim      the claim naming roles (a string, space-separated words, or an array of strings)
 * @param adminValue      the role in it that may reset counters
 * @param clockSkew       how far {@code exp} and {@code nbf} may be off the local clock
 * @param anonymousKinds  counter kinds that accept writes without a token in jwt mode; never per-user
 * @param writes          per-user and per-address limit on PUT, POST and DELETE; empty: none
 * @param reads           the same on GETs of counts
 * @param streams         the same on opening {@code /stream}s
 * @param trustedProxies  peers whose {@code X-Forwarded-For} is believed
 * @param corsOrigins     origins (scheme://host[:port]) other than tally's own allowed to call it from a browser
 */
public record SecuritySettings(
        AuthMode auth,
        Optional<String> jwks,
        Optional<byte[]> secret,
        Optional<String> issuer,
        Optional<String> audience,
        String userClaim,
        String adminClaim,
        String adminValue,
        Duration clockSkew,
        Set<CounterKind> anonymousKinds,
        Optional<RateLimit> writes,
        Optional<RateLimit> reads,
        Optional<RateLimit> streams,
        TrustedProxies trustedProxies,
        List<String> corsOrigins) {

    /** Defaults in jwt mode, per user and per address: generous for people, tight for scripts. */
    public static final RateLimit DEFAULT_WRITES = new RateLimit(20, 40);
    public static final RateLimit DEFAULT_READS = new RateLimit(100, 200);
    public static final RateLimit DEFAULT_STREAMS = new RateLimit(2, 20);
    public static final int MIN_SECRET_BYTES = 32;

    public enum AuthMode {
        NONE, JWT;

        static AuthMode parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "jwt" -> JWT;
                default -> throw new IllegalArgumentException("TALLY_AUTH must be none or jwt; got " + text);
            };
        }
    }

    public SecuritySettings {
        if (anonymousKinds.contains(CounterKind.PER_USER)) {
            throw new IllegalArgumentException("TALLY_AUTH_ANONYMOUS_KINDS: per-user counters always need a user");
        }
        if (secret.isPresent() && secret.get().length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("TALLY_JWT_SECRET must be at least " + MIN_SECRET_BYTES + " bytes for HS256");
        }
        if (auth == AuthMode.JWT && jwks.isEmpty() && secret.isEmpty()) {
            throw new IllegalArgumentException("TALLY_AUTH=jwt needs TALLY_JWT_JWKS_URL or TALLY_JWT_SECRET");
        }
        anonymousKinds = Set.copyOf(anonymousKinds);
        corsOrigins = List.copyOf(corsOrigins);
    }

    /** What tally runs with when nothing is configured: no tokens, no limits, same-origin browsers only. */
    public static SecuritySettings development() {
        return fromEnv(new Env(java.util.Map.of()));
    }

    public static SecuritySettings fromEnv(Env env) {
        AuthMode auth = AuthMode.parse(env.string("TALLY_AUTH", "none"));
        boolean jwt = auth == AuthMode.JWT;
        return new SecuritySettings(
                auth,
                optional(env, "TALLY_JWT_JWKS_URL"),
                optional(env, "TALLY_JWT_SECRET").map(text -> text.getBytes(StandardCharsets.UTF_8)),
                optional(env, "TALLY_JWT_ISSUER"),
                optional(env, "TALLY_JWT_AUDIENCE"),
                env.string("TALLY_JWT_USER_CLAIM", "sub"),
                env.string("TALLY_JWT_ADMIN_CLAIM", "roles"),
                env.string("TALLY_JWT_ADMIN_VALUE", "admin"),
                env.millis("TALLY_JWT_CLOCK_SKEW_MS", Duration.ofSeconds(30)),
                kinds(env.string("TALLY_AUTH_ANONYMOUS_KINDS", "monotonic")),
                limit(env, "TALLY_RATE_LIMIT_WRITES", jwt ? DEFAULT_WRITES : null),
                limit(env, "TALLY_RATE_LIMIT_READS", jwt ? DEFAULT_READS : null),
                limit(env, "TALLY_RATE_LIMIT_STREAMS", jwt ? DEFAULT_STREAMS : null),
                TrustedProxies.parse(env.string("TALLY_TRUSTED_PROXIES", "")),
                origins(env.string("TALLY_CORS_ORIGINS", "")));
    }

    private static Optional<String> optional(Env env, String name) {
        String value = env.string(name, "");
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<RateLimit> limit(Env env, String name, RateLimit fallback) {
        String text = env.string(name, "");
        return text.isEmpty() ? Optional.ofNullable(fallback) : RateLimit.parse(name, text);
    }

    private static Set<CounterKind> kinds(String list) {
        if (list.equalsIgnoreCase("none")) {
            return EnumSet.noneOf(CounterKind.class);
        }
        return Arrays.stream(list.split(",")).map(String::trim).filter(kind -> !kind.isEmpty())
                .map(CounterKind::fromWire).collect(Collectors.toCollection(() -> EnumSet.noneOf(CounterKind.class)));
    }

    private static List<String> origins(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(origin -> !origin.isEmpty())
                .map(origin -> {
                    if (!origin.matches("https?://[^/\\s]+")) {
                        throw new IllegalArgumentException("TALLY_CORS_ORIGINS: " + origin + " is not scheme://host[:port]");
                    }
                    return origin.toLowerCase(Locale.ROOT);
                }).toList();
    }

    public boolean jwt() {
        return auth == AuthMode.JWT;
    }
}
