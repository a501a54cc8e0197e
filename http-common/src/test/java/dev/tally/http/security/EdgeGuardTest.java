package dev.tally.http.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tally.config.Env;
import dev.tally.http.ApiException;
import dev.tally.http.TallyHttp;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The edge guard's parts on their own, and together in front of a real server on port 0. */
class EdgeGuardTest {

    private static final String SECRET = "a-development-secret-of-32-bytes!";
    private final HttpClient client = HttpClient.newHttpClient();
    private Javalin app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void shouldBelieveForwardedForOnlyFromATrustedProxyAndReadItFromTheRight() {
        TrustedProxies proxies = TrustedProxies.parse("10.0.0.0/8, ::1");
        assertThat(proxies.clientAddress("203.0.113.9", "1.2.3.4")).isEqualTo("203.0.113.9");
        assertThat(proxies.clientAddress("10.1.2.3", "1.2.3.4")).isEqualTo("1.2.3.4");
        assertThat(proxies.clientAddress("10.1.2.3", "6.6.6.6, 1.2.3.4, 10.9.9.9")).isEqualTo("1.2.3.4");
        assertThat(proxies.clientAddress("0:0:0:0:0:0:0:1", "2001:db8::7")).isEqualTo("2001:db8::7");
        assertThat(proxies.clientAddress("10.1.2.3", "evil.example, 10.2.2.2")).isEqualTo("10.2.2.2");
        assertThat(proxies.trusts("11.0.0.1")).isFalse();
        assertThat(TrustedProxies.parse("192.168.1.128/25").trusts("192.168.1.127")).isFalse();
        assertThat(TrustedProxies.parse("192.168.1.128/25").trusts("192.168.1.200")).isTrue();
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/33")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> TrustedProxies.parse("proxy.internal")).hasMessageContaining("not an address");
    }

    @Test
    void shouldParseRateLimitsAndTurnThemOnByDefaultOnlyWithTokens() {
        assertThat(RateLimit.parse("X", "20:40")).contains(new RateLimit(20, 40));
        assertThat(RateLimit.parse("X", "5")).contains(new RateLimit(5, 5));
        assertThat(RateLimit.parse("X", "off")).isEmpty();
        assertThatThrownBy(() -> RateLimit.parse("TALLY_RATE_LIMIT_WRITES", "fast")).hasMessageContaining("TALLY_RATE_LIMIT_WRITES");
        assertThat(SecuritySettings.development().writes()).isEmpty();
        SecuritySettings jwt = SecuritySettings.fromEnv(new Env(Map.of("TALLY_AUTH", "jwt", "TALLY_JWT_SECRET", SECRET)));
        assertThat(jwt.writes()).contains(SecuritySettings.DEFAULT_WRITES);
        assertThat(jwt.streams()).contains(SecuritySettings.DEFAULT_STREAMS);
        assertThatThrownBy(() -> SecuritySettings.fromEnv(new Env(Map.of("TALLY_AUTH", "jwt"))))
                .hasMessageContaining("TALLY_JWT_JWKS_URL or TALLY_JWT_SECRET");
        assertThatThrownBy(() -> SecuritySettings.fromEnv(new Env(Map.of("TALLY_JWT_SECRET", "short"))))
                .hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> SecuritySettings.fromEnv(new Env(Map.of("TALLY_AUTH_ANONYMOUS_KINDS", "per-user"))))
                .hasMessageContaining("per-user");
    }

    @Test
    void shouldRefillForgetIdleBucketsAndNeverHoldMoreThanItsKeys() {
        AtomicLong nanos = new AtomicLong();
        RateLimits limits = new RateLimits("writes", new RateLimit(1, 2), 3, nanos::get);
        limits.acquire(7L, "a");
        limits.acquire(7L, "a");
        assertThatThrownBy(() -> limits.acquire(7L, "b"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(1));
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        limits.acquire(7L, "c"); // one token back after a second
        assertThat(limits.size()).isEqualTo(3);
        limits.acquire(null, "d"); // full: "d" shares the overflow bucket, and the others are kept
        assertThat(limits.size()).isEqualTo(4);
        assertThatThrownBy(() -> limits.acquire(7L, "e")).isInstanceOf(ApiException.class);
        nanos.addAndGet(Duration.ofSeconds(3).toNanos()); // everything refilled: equivalent to new, so forgotten
        limits.acquire(null, "f");
        assertThat(limits.size()).isEqualTo(1);
    }

    @Test
    void shouldVerifyTokensAndRefuseEveryForgery() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
        SecuritySettings settings = SecuritySettings.fromEnv(new Env(Map.of("TALLY_AUTH", "jwt",
                "TALLY_JWT_JWKS_URL", "unused", "TALLY_JWT_ISSUER", "https://id.example", "TALLY_JWT_AUDIENCE", "tally",
                "TALLY_JWT_ADMIN_CLAIM", "scope", "TALLY_JWT_ADMIN_VALUE", "tally:admin")));
        TokenVerifier verifier = new TokenVerifier(settings, Optional.of(new ImmutableJWKSet<>(new JWKSet(rsa.toPublicJWK()))));
        TokenMinter issuer = new TokenMinter(new RSASSASigner(rsa), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), settings);
        assertThat(verifier.verify("Bearer " + issuer.mint(42, false, Duration.ofMinutes(5))))
                .isEqualTo(new TokenVerifier.Identity(42, false));
        assertThat(verifier.verify("Bearer " + issuer.mint(42, true, Duration.ofMinutes(5))).admin()).isTrue();
        assertThat(verifier.verify("Bearer " + issuer.sign(claims().claim("scope", "read tally:admin").build())).admin()).isTrue();

        TokenMinter confused = new TokenMinter(new MACSigner(padded(rsa.toPublicJWK().toJSONString())),
                new JWSHeader(JWSAlgorithm.HS256), settings);
        String plain = new com.nimbusds.jwt.PlainJWT(claims().build()).serialize();
        for (String forged : List.of(
                confused.sign(claims().build()),
                plain,
                issuer.sign(claims().expirationTime(Date.from(Instant.now().minusSeconds(120))).build()),
                issuer.sign(claims().notBeforeTime(Date.from(Instant.now().plusSeconds(120))).build()),
                issuer.sign(claims().issuer("https://evil.example").build()),
                issuer.sign(claims().audience("other").build()),
                issuer.sign(claims().subject("-1").build()),
                issuer.sign(claims().subject("alice").build()),
                issuer.sign(new JWTClaimsSet.Builder(claims().build()).expirationTime(null).build()))) {
            assertThatThrownBy(() -> verifier.verify("Bearer " + forged))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.bearerChallenge()).contains("invalid_token");
                    });
        }
    }

    @Test
    void shouldFetchTheIssuersKeysOnceAndAgainWhenATokenNamesARotatedKey() throws Exception {
        RSAKey first = new RSAKeyGenerator(2048).keyID("2026-11").generate();
        RSAKey second = new RSAKeyGenerator(2048).keyID("2026-12").generate();
        java.util.concurrent.atomic.AtomicReference<JWKSet> published = new java.util.concurrent.atomic.AtomicReference<>(
                new JWKSet(first.toPublicJWK()));
        AtomicLong fetches = new AtomicLong();
        com.sun.net.httpserver.HttpServer issuerSite = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        issuerSite.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().toString(true).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        issuerSite.start();
        try {
            String url = "http://127.0.0.1:" + issuerSite.getAddress().getPort() + "/jwks.json";
            SecuritySettings settings = SecuritySettings.fromEnv(new Env(Map.of("TALLY_AUTH", "jwt", "TALLY_JWT_JWKS_URL", url)));
            TokenVerifier verifier = new TokenVerifier(settings, Optional.of(TokenVerifier.jwkSource(url, false)));
            TokenMinter before = new TokenMinter(new RSASSASigner(first), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("2026-11").build(), settings);
            TokenMinter after = new TokenMinter(new RSASSASigner(second), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("2026-12").build(), settings);

            for (int i = 0; i < 5; i++) {
                assertThat(verifier.verify("Bearer " + before.mint(1, false, Duration.ofMinutes(5))).userId()).isEqualTo(1);
            }
            assertThat(fetches.get()).as("cached after the first fetch").isEqualTo(1);

            published.set(new JWKSet(List.of(second.toPublicJWK(), first.toPublicJWK())));
            assertThat(verifier.verify("Bearer " + after.mint(2, false, Duration.ofMinutes(5))).userId()).isEqualTo(2);
            assertThat(fetches.get()).as("fetched again for the new key id").isEqualTo(2);
            assertThat(verifier.verify("Bearer " + before.mint(1, false, Duration.ofMinutes(5))).userId()).isEqualTo(1);
            assertThat(fetches.get()).isEqualTo(2);
        } finally {
            issuerSite.stop(0);
        }
    }

    @Test
    void shouldAnswerPreflightsOfAllowedOriginsAndRefuseOthersBeforeTheRoute() throws Exception {
        AtomicLong reached = new AtomicLong();
        SecuritySettings settings = SecuritySettings.fromEnv(new Env(Map.of("TALLY_CORS_ORIGINS", "https://app.example")));
        app = TallyHttp.create(List.of(config -> config.routes.put("/v1/{id}/likes", ctx -> {
            reached.incrementAndGet();
            ctx.result("ok");
        })), TallyHttp.MIN_THREADS, TallyHttp.DEFAULT_BODY_DEADLINE, new EdgeGuard(settings)).start("127.0.0.1", 0);
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri("/v1/1/likes"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example").header("Access-Control-Request-Method", "PUT"));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow()).contains("Authorization");
        HttpResponse<String> foreign = send(HttpRequest.newBuilder(uri("/v1/1/likes"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).header("Origin", "https://evil.example"));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).startsWith("{\"error\":\"forbidden\"");
        HttpResponse<String> allowed = send(HttpRequest.newBuilder(uri("/v1/1/likes"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).header("Origin", "https://app.example"));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(reached.get()).isEqualTo(1);
        assertThat(send(HttpRequest.newBuilder(uri("/nowhere")).GET()).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldNotLimitAgainAReadForwardedByAnInstanceInTheTrustedNetwork() throws Exception {
        SecuritySettings settings = SecuritySettings.fromEnv(new Env(Map.of("TALLY_RATE_LIMIT_READS", "1:1",
                "TALLY_TRUSTED_PROXIES", "127.0.0.1")));
        app = TallyHttp.create(List.of(config -> config.routes.get("/v1/{id}", ctx -> ctx.result("ok"))),
                TallyHttp.MIN_THREADS, TallyHttp.DEFAULT_BODY_DEADLINE, new EdgeGuard(settings)).start("127.0.0.1", 0);
        for (int i = 0; i < 3; i++) {
            assertThat(send(HttpRequest.newBuilder(uri("/v1/1")).header(EdgeGuard.FORWARDED_HEADER, "1")).statusCode()).isEqualTo(200);
        }
        assertThat(send(HttpRequest.newBuilder(uri("/v1/1"))).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = send(HttpRequest.newBuilder(uri("/v1/1")));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("1");
        assertThat(limited.body()).startsWith("{\"error\":\"too_many_requests\"");
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("42").issuer("https://id.example").audience("tally")
                .expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    private static byte[] padded(String text) {
        return (text + "0".repeat(Math.max(0, 32 - text.length()))).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + app.port() + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
