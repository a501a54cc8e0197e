package dev.tally.http.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.tally.http.ApiException;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies bearer tokens with Nimbus JOSE+JWT and turns one into an {@link Identity}.
 *
 * <p>Which algorithms are accepted follows from which keys are configured, never from the token: RS256 and ES256
 * with keys of the JWK set ({@code TALLY_JWT_JWKS_URL}, fetched, cached and fetched again when a token names a key
 * id it has not seen, so an issuer can rotate keys), HS256 with {@code TALLY_JWT_SECRET}. A token signed HS256 with
 * the issuer's public key (algorithm confusion) finds no HMAC key when only a JWK set is configured, and
 * {@code alg: none} has no key at all: both are refused. {@code exp} is required, {@code nbf} checked when present,
 * both with {@code clockSkew}; {@code iss} and {@code aud} must match when configured.
 */
public final class TokenVerifier {

    /** Real tokens are well under 2 KiB; a larger one is refused before it is decoded. */
    public static final int MAX_TOKEN_CHARS = 4096;

    /** A verified token: the user it speaks for, and whether that user holds the admin role. */
    public record Identity(long userId, boolean admin) {
    }

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String userClaim;
    private final String adminClaim;
    private final String adminValue;

    public TokenVerifier(SecuritySettings settings) {
        this(settings, settings.jwks().map(location -> jwkSource(location, true)));
    }

    TokenVerifier(SecuritySettings settings, Optional<JWKSource<SecurityContext>> jwks) {
        this.userClaim = settings.userClaim();
        this.adminClaim = settings.adminClaim();
        this.adminValue = settings.adminValue();
        JWSKeySelector<SecurityContext> asymmetric = jwks
                .<JWSKeySelector<SecurityContext>>map(source -> new JWSVerificationKeySelector<>(
                        Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), source))
                .orElse(null);
        JWSKeySelector<SecurityContext> hmac = settings.secret()
                .<JWSKeySelector<SecurityContext>>map(secret -> new JWSVerificationKeySelector<>(
                        JWSAlgorithm.HS256, new ImmutableSecret<>(secret)))
                .orElse(null);
        processor.setJWSKeySelector((header, context) -> {
            JWSKeySelector<SecurityContext> selector = JWSAlgorithm.HS256.equals(header.getAlgorithm()) ? hmac : asymmetric;
            return selector == null ? List.of() : selector.selectJWSKeys(header, context);
        });
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        settings.issuer().ifPresent(exact::issuer);
        Set<String> required = new HashSet<>(Set.of("exp", userClaim));
        settings.issuer().ifPresent(issuer -> required.add("iss"));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                settings.audience().map(Set::of).orElse(null), exact.build(), required, null);
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * A JWK set from an http(s) URL, cached (5 minutes, refreshed ahead) by Nimbus and fetched again when a token
     * names a key id the cache does not hold, which is how a rotation is picked up; or from a file read once.
     * {@code rateLimited} allows at most one such fetch per 30 s, so tokens with invented key ids cannot turn
     * tally into a flood on the issuer (tests of rotation turn it off).
     */
    static JWKSource<SecurityContext> jwkSource(String location, boolean rateLimited) {
        try {
            if (location.startsWith("https://") || location.startsWith("http://")) {
                URL url = URI.create(location).toURL();
                return JWKSourceBuilder.<SecurityContext>create(url).retrying(true).rateLimited(rateLimited).build();
            }
            return new ImmutableJWKSet<>(JWKSet.load(new File(location)).toPublicJWKSet());
        } catch (IOException | ParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("TALLY_JWT_JWKS_URL: cannot read a JWK set from " + location + ": " + e.getMessage(), e);
        }
    }

    /** The identity in an {@code Authorization} header's value; 401 with a reason for anything else. */
    public Identity verify(String authorization) {
        if (authorization.length() > MAX_TOKEN_CHARS + 7) {
            throw invalid("the token is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw invalid("Authorization must be \"Bearer <token>\"");
        }
        String token = authorization.substring(7).trim();
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw invalid("the token is not a JWT");
        } catch (Exception e) {
            // Nimbus' messages name the failed check (expired, bad signature, wrong audience) and no secret.
            throw invalid("the token was refused: " + e.getMessage());
        }
        return new Identity(userId(claims), isAdmin(claims));
    }

    private long userId(JWTClaimsSet claims) {
        Object value = claims.getClaim(userClaim);
        String text = value == null ? "" : value.toString();
        long id;
        try {
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw invalid("the token's " + userClaim + " must be a user id from 1 to 9223372036854775807");
        }
        if (id <= 0 || !(value instanceof String || value instanceof Long || value instanceof Integer)) {
            throw invalid("the token's " + userClaim + " must be a user id from 1 to 9223372036854775807");
        }
        return id;
    }

    private boolean isAdmin(JWTClaimsSet claims) {
        Object roles = claims.getClaim(adminClaim);
        if (roles instanceof String words) {
            return Set.of(words.split(" ")).contains(adminValue);
        }
        return roles instanceof Collection<?> list && list.contains(adminValue);
    }

    private static ApiException invalid(String message) {
        return ApiException.unauthorized(message, true);
    }
}
