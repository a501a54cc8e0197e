package dev.tally.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.tally.app.support.EventTopic;
import dev.tally.app.support.RawHttp;
import dev.tally.app.support.TallyFixture;
import dev.tally.app.support.TempDirs;
import dev.tally.http.security.SecuritySettings;
import dev.tally.http.security.TokenMinter;
import dev.tally.schemas.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attacks on a tally running with {@code TALLY_AUTH=jwt}, rate limits, trusted proxies and a CORS allowlist, one
 * per row: each is refused with the expected status in the JSON error shape (with {@code WWW-Authenticate} on 401
 * and {@code Retry-After} on 429), and the event topic's end offsets do not move while it is answered. Requests go
 * over raw sockets, so that the peer address (127.0.0.1 is the trusted proxy, 127.0.0.2 is not), every header and
 * half-closed bodies are the test's to choose. Each attack comes from an address and user of its own, so that the
 * rate limits only bite where a row floods on purpose.
 */
@Tag("integration")
class EdgeAttacksIntegrationTest {

    static final String ISSUER = "https://id.tally.test";
    static final String AUDIENCE = "tally";
    static final String ALLOWED_ORIGIN = "https://app.tally.test";
    static final String PROXY = "127.0.0.1";
    static final String UNTRUSTED_PEER = "127.0.0.2";
    private static final AtomicInteger ADDRESSES = new AtomicInteger();
    private static final AtomicInteger USERS = new AtomicInteger(1000);

    static RSAKey issuerKey;
    static ECKey issuerEcKey;
    static TokenMinter issuer;
    static SecuritySettings security;
    private static Path keys;
    private static TallyFixture tally;
    private static TallyNode node;
    private static EventTopic events;

    @BeforeAll
    static void start() throws Exception {
        issuerKey = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        issuerEcKey = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        keys = TempDirs.create("tally-jwks");
        Path jwks = keys.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(List.of(issuerKey, issuerEcKey)).toString(false));
        tally = TallyFixture.create(Map.of(
                "TALLY_AUTH", "jwt",
                "TALLY_JWT_JWKS_URL", jwks.toString(),
                "TALLY_JWT_ISSUER", ISSUER,
                "TALLY_JWT_AUDIENCE", AUDIENCE,
                "TALLY_COUNTERS", "likes:per-user,views:monotonic,shares:generic",
                // One a second: a flood spends the burst long before a token comes back.
                "TALLY_RATE_LIMIT_WRITES", "1:5",
                "TALLY_RATE_LIMIT_STREAMS", "1:2",
                "TALLY_TRUSTED_PROXIES", PROXY + "/32",
                "TALLY_CORS_ORIGINS", ALLOWED_ORIGIN));
        security = tally.settings().security();
        issuer = TokenMinter.of(security);
        node = tally.start("edge");
        events = new EventTopic(tally.bootstrapServers(), tally.settings().topics().events());
    }

    @AfterAll
    static void stop() {
        events.close();
        tally.close();
        TempDirs.deleteRecursively(keys);
    }

    /** One attack: what it does first (allowed, or not judged), then the request that must be refused. */
    record Attack(String name, Runnable before, Supplier<RawHttp.Answer> attack, int status) {
        @Override
        public String toString() {
            return name + " -> " + status;
        }
    }

    static Stream<Attack> attacks() {
        List<Attack> all = new ArrayList<>();
        // Identity on a per-user counter.
        all.add(like("no token", null, 401));
        all.add(like("a forged user in the body", token(claims(user())), 403, 7L));
        all.add(like("an expired token", token(claims(user()).expirationTime(ago(120))), 401));
        all.add(like("a token not yet valid", token(claims(user()).notBeforeTime(Date.from(Instant.now().plusSeconds(600)))), 401));
        all.add(like("a token of another issuer", token(claims(user()).issuer("https://evil.test")), 401));
        all.add(like("a token for another audience", token(claims(user()).audience("billing")), 401));
        all.add(like("a token without an audience", token(claims(user()).audience((String) null)), 401));
        all.add(like("a token without exp", token(claims(user()).expirationTime(null)), 401));
        all.add(like("a bad signature (another key with the issuer's kid)", signed(otherRsa("rsa-1"), JWSAlgorithm.RS256, claims(user())), 401));
        all.add(like("an ES256 token of an unknown key", signedEc(claims(user())), 401));
        all.add(like("a key id the issuer never had", signed(otherRsa("rsa-9"), JWSAlgorithm.RS256, claims(user())), 401));
        all.add(like("alg none", new PlainJWT(claims(user()).build()).serialize(), 401));
        all.add(like("alg none with a trailing signature", new PlainJWT(claims(user()).build()).serialize() + "c2ln", 401));
        all.add(like("HS256 signed with the issuer's public key", hmacWithPublicKey(claims(user())), 401));
        all.add(like("a signature cut off", token(claims(user())).substring(0, token(claims(user())).lastIndexOf('.')), 401));
        all.add(like("a subject that is not a number", token(claims(user()).subject("alice")), 401));
        all.add(like("a subject of zero", token(claims(user()).subject("0")), 401));
        all.add(like("a negative subject", token(claims(user()).subject("-5")), 401));
        all.add(like("a subject past 64 bits", token(claims(user()).subject("9223372036854775808")), 401));
        all.add(like("a token over 4,096 characters", token(claims(user()).claim("pad", "x".repeat(3_500))), 401));
        all.add(like("not JWT at all", "not-a-token", 401));
        all.add(attack("Basic credentials instead of a bearer token", () -> put(PROXY, address(), "/v1/1/likes",
                "{\"action\":\"increment\",\"user_id\":5}", Map.of("Authorization", "Basic dXNlcjpwYXNz")), 401));
        all.add(attack("a token in the query string, not the header", () -> put(PROXY, address(),
                "/v1/1/likes?access_token=" + token(claims(user())), "{\"action\":\"increment\"}", Map.of()), 401));
        all.add(attack("a user_id given as a string", () -> put(PROXY, address(), "/v1/1/likes",
                "{\"action\":\"increment\",\"user_id\":\"5\"}", bearer(token(claims(5L)))), 400));
        all.add(attack("an expired token on a read", () -> get(PROXY, address(), "/v1/1", bearer(token(claims(user()).expirationTime(ago(120))))), 401));
        // Counters not open to anonymous writers, and the batch.
        all.add(attack("an anonymous write to a generic counter", () -> put(PROXY, address(), "/v1/1/shares",
                "{\"action\":\"increment\"}", Map.of()), 401));
        all.add(attack("an anonymous view claiming a user", () -> put(PROXY, address(), "/v1/1/views",
                "{\"action\":\"increment\",\"user_id\":8}", Map.of()), 401));
        all.add(attack("a batch liking as another user", () -> post(PROXY, address(), "/v1/events",
                "{\"events\":[{\"post_id\":1,\"counter\":\"likes\",\"action\":\"increment\",\"user_id\":99,\"idempotency_key\":\"b-1\"}]}",
                bearer(token(claims(user())))), 403));
        all.add(attack("a batch with likes and no token", () -> post(PROXY, address(), "/v1/events",
                "{\"events\":[{\"post_id\":1,\"counter\":\"likes\",\"action\":\"increment\",\"user_id\":99,\"idempotency_key\":\"b-2\"}]}",
                Map.of()), 401));
        // Live viewers.
        all.add(attack("a token for user A joining as B", () -> put(PROXY, address(), "/v1/1/live_users",
                "{\"action\":\"join\",\"user_id\":99}", bearer(token(claims(user())))), 403));
        all.add(attack("a join as a user without a token", () -> put(PROXY, address(), "/v1/1/live_users",
                "{\"action\":\"join\",\"user_id\":99}", Map.of()), 401));
        // Resets.
        all.add(attack("a reset without the admin role", () -> delete(PROXY, address(), "/v1/1/views", bearer(token(claims(user()))), "r-1"), 403));
        all.add(attack("a reset without a token", () -> delete(PROXY, address(), "/v1/1/views", Map.of(), "r-2"), 401));
        all.add(attack("a reset with an admin token that expired", () -> delete(PROXY, address(), "/v1/1/views",
                bearer(token(claims(user()).claim(security.adminClaim(), List.of(security.adminValue())).expirationTime(ago(120)))), "r-3"), 401));
        all.add(attack("an admin role given as another claim", () -> delete(PROXY, address(), "/v1/1/views",
                bearer(token(claims(user()).claim("role", "admin"))), "r-4"), 403));
        all.add(attack("a reset asked for in a write body", () -> put(PROXY, address(), "/v1/1/views",
                "{\"action\":\"reset\"}", bearer(issuer.mint(user(), true, Duration.ofMinutes(5)))), 400));
        // Floods.
        String flooder = address();
        all.add(new Attack("a flood past the write limit", () -> {
            // Until the first refusal: a slow machine may refill a token while the burst is being spent.
            int refusedAt = -1;
            for (int i = 0; i < 20 && refusedAt < 0; i++) {
                if (put(PROXY, flooder, "/v1/2/views", "{\"action\":\"increment\"}", Map.of("Prefer", "respond-async")).status() == 429) {
                    refusedAt = i;
                }
            }
            assertThat(refusedAt).as("the write at which the burst of 5 ran out").isGreaterThanOrEqualTo(5);
        }, () -> put(PROXY, flooder, "/v1/2/views", "{\"action\":\"increment\"}", Map.of()), 429));
        long streamer = user();
        all.add(new Attack("a flood past the stream limit from one user on many addresses", () -> {
            for (int i = 0; i < 2; i++) {
                assertThat(get(PROXY, address(), "/v1/3/stream", bearer(token(claims(streamer)))).status()).isEqualTo(200);
            }
        }, () -> get(PROXY, address(), "/v1/3/stream", bearer(token(claims(streamer)))), 429));
        all.add(new Attack("X-Forwarded-For spoofed by a peer that is no trusted proxy", () -> {
            for (int i = 0; i < 2; i++) {
                assertThat(get(UNTRUSTED_PEER, address(), "/v1/4/stream", Map.of()).status()).isEqualTo(200);
            }
        }, () -> get(UNTRUSTED_PEER, address(), "/v1/4/stream", Map.of()), 429));
        // Origins.
        all.add(attack("a disallowed origin on a write", () -> put(PROXY, address(), "/v1/1/views", "{\"action\":\"increment\"}",
                Map.of("Origin", "https://evil.test")), 403));
        all.add(attack("a disallowed origin on a stream", () -> get(PROXY, address(), "/v1/1/stream", Map.of("Origin", "https://evil.test")), 403));
        all.add(attack("a disallowed origin's preflight", () -> send(PROXY, "OPTIONS /v1/1/likes HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.test\r\n"
                + "Access-Control-Request-Method: PUT\r\nX-Forwarded-For: " + address() + "\r\nConnection: close\r\n\r\n", false), 403));
        all.add(attack("the opaque origin null", () -> put(PROXY, address(), "/v1/1/views", "{\"action\":\"increment\"}",
                Map.of("Origin", "null")), 403));
        all.add(attack("an origin that only starts like the allowed one", () -> put(PROXY, address(), "/v1/1/views",
                "{\"action\":\"increment\"}", Map.of("Origin", ALLOWED_ORIGIN + ".evil.test")), 403));
        // Protocol.
        all.add(attack("a header block of 20 KB", () -> get(PROXY, address(), "/v1/1", Map.of("X-Padding", "a".repeat(20_000))), 431));
        all.add(attack("a URL of 20 KB", () -> get(PROXY, address(), "/v1/" + "1".repeat(20_000), Map.of()), 414));
        all.add(attack("%00 in the path", () -> get(PROXY, address(), "/v1/1%00/likes", Map.of()), 400));
        all.add(attack("a body half-closed after 10 of 40 bytes", () -> send(PROXY, "PUT /v1/1/views HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 40\r\nX-Forwarded-For: " + address() + "\r\n\r\n{\"action\":", true), 400));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void shouldRefuseTheAttackInTheJsonErrorShapeAndWriteNothing(Attack attack) {
        attack.before().run();
        var offsets = events.endOffsets();

        RawHttp.Answer answer = attack.attack().get();

        assertThat(answer.status()).as(answer.body()).isEqualTo(attack.status());
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        JsonNode error = json(answer.body());
        assertThat(error.size()).isEqualTo(2);
        assertThat(error.get("error").asText()).isNotBlank();
        assertThat(error.get("message").asText()).isNotBlank();
        if (attack.status() == 401) {
            assertThat(answer.header("WWW-Authenticate")).startsWith("Bearer realm=\"tally\"");
        }
        if (attack.status() == 429) {
            assertThat(Integer.parseInt(answer.header("Retry-After"))).isPositive();
        }
        assertThat(events.endOffsets()).as("the event topic's end offsets").isEqualTo(offsets);
    }

    @Test
    void shouldHaveAtLeastFortyAttacks() {
        assertThat(attacks().count()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void shouldLetTheRightfulUserLikeAndAnAdminResetAndAnswerAnAllowedOriginsPreflight() {
        long user = user();
        String address = address();
        RawHttp.Answer like = put(PROXY, address, "/v1/9/likes", "{\"action\":\"increment\"}", bearer(token(claims(user))));
        assertThat(like.status()).as(like.body()).isEqualTo(200);
        assertThat(json(like.body()).get("count").asLong()).isEqualTo(1);
        RawHttp.Answer reset = delete(PROXY, address, "/v1/9/likes", bearer(issuer.mint(user(), true, Duration.ofMinutes(5))), "reset-9");
        assertThat(reset.status()).as(reset.body()).isEqualTo(200);
        assertThat(json(reset.body()).get("count").asLong()).isZero();
        RawHttp.Answer preflight = send(PROXY, "OPTIONS /v1/9/likes HTTP/1.1\r\nHost: x\r\nOrigin: " + ALLOWED_ORIGIN
                + "\r\nAccess-Control-Request-Method: PUT\r\nConnection: close\r\n\r\n", false);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization");
    }

    // --- requests -------------------------------------------------------------------------------------------

    static Attack attack(String name, Supplier<RawHttp.Answer> request, int status) {
        return new Attack(name, () -> { }, request, status);
    }

    static Attack like(String name, String token, int status) {
        return like(name, token, status, null);
    }

    static Attack like(String name, String token, int status, Long bodyUser) {
        String body = "{\"action\":\"increment\"" + (bodyUser == null ? "" : ",\"user_id\":" + bodyUser) + "}";
        return attack(name, () -> put(PROXY, address(), "/v1/1/likes", body, token == null ? Map.of() : bearer(token)), status);
    }

    static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    static RawHttp.Answer put(String from, String client, String path, String json, Map<String, String> headers) {
        return withBody(from, "PUT", client, path, json, headers);
    }

    static RawHttp.Answer post(String from, String client, String path, String json, Map<String, String> headers) {
        return withBody(from, "POST", client, path, json, headers);
    }

    static RawHttp.Answer delete(String from, String client, String path, Map<String, String> headers, String idempotencyKey) {
        return send(from, "DELETE " + path + " HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: " + client + "\r\nIdempotency-Key: "
                + idempotencyKey + "\r\n" + lines(headers) + "Connection: close\r\n\r\n", false);
    }

    static RawHttp.Answer get(String from, String client, String path, Map<String, String> headers) {
        return send(from, "GET " + path + " HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: " + client + "\r\n" + lines(headers)
                + "Connection: close\r\n\r\n", false);
    }

    private static RawHttp.Answer withBody(String from, String method, String client, String path, String json, Map<String, String> headers) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return send(from, method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nX-Forwarded-For: " + client + "\r\n" + lines(headers) + "Connection: close\r\n\r\n" + json, false);
    }

    static RawHttp.Answer send(String from, String request, boolean halfClose) {
        return RawHttp.exchange(from, node.port(), request, halfClose);
    }

    private static String lines(Map<String, String> headers) {
        StringBuilder lines = new StringBuilder();
        headers.forEach((name, value) -> lines.append(name).append(": ").append(value).append("\r\n"));
        return lines.toString();
    }

    /** A client address of its own (documentation range 198.51.100.0/24 and beyond): fresh rate-limit buckets. */
    static String address() {
        int n = ADDRESSES.incrementAndGet();
        return "198.51." + (100 + n / 250) + "." + (1 + n % 250);
    }

    static long user() {
        return USERS.incrementAndGet();
    }

    // --- tokens ---------------------------------------------------------------------------------------------

    static JWTClaimsSet.Builder claims(long user) {
        return new JWTClaimsSet.Builder().subject(Long.toString(user)).issuer(ISSUER).audience(AUDIENCE)
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    static String token(JWTClaimsSet.Builder claims) {
        return issuer.sign(claims.build());
    }

    static Date ago(long seconds) {
        return Date.from(Instant.now().minusSeconds(seconds));
    }

    static RSAKey otherRsa(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String signed(RSAKey key, JWSAlgorithm algorithm, JWTClaimsSet.Builder claims) {
        try {
            return new TokenMinter(new RSASSASigner(key), new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), security)
                    .sign(claims.build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String signedEc(JWTClaimsSet.Builder claims) {
        try {
            ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
            return new TokenMinter(new ECDSASigner(stranger), new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), security)
                    .sign(claims.build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The classic confusion: the verifier's own public key, used as an HMAC secret. */
    static String hmacWithPublicKey(JWTClaimsSet.Builder claims) {
        try {
            byte[] publicKey = issuerKey.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
            return new TokenMinter(new MACSigner(publicKey), new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), security)
                    .sign(claims.build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
