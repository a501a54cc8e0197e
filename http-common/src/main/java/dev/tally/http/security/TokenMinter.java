package dev.tally.http.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.File;
import java.io.IOException;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Signs development tokens ({@code ./tally token <user_id> [--admin]}) with the key tally is configured to trust:
 * {@code TALLY_JWT_SECRET} (HS256), or the first private key in the JWK set file of {@code TALLY_JWT_JWKS_URL}
 * (RS256 or ES256). A JWK set fetched from a URL holds no private key: tokens then come from its issuer only.
 */
public final class TokenMinter {

    private final JWSSigner signer;
    private final JWSHeader header;
    private final SecuritySettings settings;

    public TokenMinter(JWSSigner signer, JWSHeader header, SecuritySettings settings) {
        this.signer = signer;
        this.header = header;
        this.settings = settings;
    }

    public static TokenMinter of(SecuritySettings settings) {
        try {
            if (settings.secret().isPresent()) {
                return new TokenMinter(new MACSigner(settings.secret().get()), new JWSHeader(JWSAlgorithm.HS256), settings);
            }
            String location = settings.jwks().orElseThrow(() -> new IllegalArgumentException(
                    "set TALLY_JWT_SECRET or TALLY_JWT_JWKS_URL (a JWK set file with a private key) to mint tokens"));
            if (location.startsWith("http://") || location.startsWith("https://")) {
                throw new IllegalArgumentException("the JWK set at " + location + " has no private keys: ask its issuer for tokens");
            }
            for (JWK key : JWKSet.load(new File(location)).getKeys()) {
                if (key instanceof RSAKey rsa && rsa.isPrivate()) {
                    return new TokenMinter(new RSASSASigner(rsa), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).build(), settings);
                }
                if (key instanceof ECKey ec && ec.isPrivate()) {
                    return new TokenMinter(new ECDSASigner(ec), new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(), settings);
                }
            }
            throw new IllegalArgumentException(location + " holds no private RSA or EC key");
        } catch (IOException | ParseException | JOSEException e) {
            throw new IllegalArgumentException("cannot load the signing key: " + e.getMessage(), e);
        }
    }

    /** A token for the user, valid from now for {@code lifetime}, with the configured issuer and audience. */
    public String mint(long userId, boolean admin, Duration lifetime) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .claim(settings.userClaim(), Long.toString(userId))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)));
        settings.issuer().ifPresent(claims::issuer);
        settings.audience().ifPresent(claims::audience);
        if (admin) {
            claims.claim(settings.adminClaim(), List.of(settings.adminValue()));
        }
        return sign(claims.build());
    }

    /** Any claims, for tests that need a token tally must refuse. */
    public String sign(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }
}
