package dev.tally.http.security;

import dev.tally.http.ApiException;
import dev.tally.schemas.CounterKind;
import io.javalin.http.Context;
import java.util.Objects;
import java.util.Set;

/**
 * Who sent a request, as the {@link EdgeGuard} established before any route ran: the client's address and, with a
 * valid bearer token, the user and their role. Routes ask it for the user a write may act for; it answers or
 * refuses (401 without a usable token, 403 when the body names someone else), always before anything is written.
 *
 * @param userId null without a token
 */
public record Caller(String address, Long userId, boolean admin, SecuritySettings.AuthMode mode, Set<CounterKind> anonymousKinds) {

    static final String ATTRIBUTE = "tally.caller";

    /** The caller of a request the guard has seen; a route reached without the guard is a wiring bug, and fails. */
    public static Caller of(Context ctx) {
        Caller caller = ctx.attribute(ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("no EdgeGuard ran for " + ctx.path());
        }
        return caller;
    }

    /**
     * The user a write to a counter of {@code kind} is recorded for, given the {@code user_id} its body claims (or
     * null). Without authentication the claim is trusted. With it, a per-user counter needs a token, a counter of
     * a kind not open to anonymous writers needs one too, and a claim must be the token's own user.
     */
    public Long writer(CounterKind kind, Long claimed) {
        if (mode == SecuritySettings.AuthMode.NONE) {
            return claimed;
        }
        if (kind.requiresUser() || claimed != null || !anonymousKinds.contains(kind)) {
            return user(claimed);
        }
        return userId;
    }

    /**
     * The signed-in user acting as {@code claimed} (or as themselves when null): a viewer joining, a user liking.
     * Without authentication the claim is trusted.
     */
    public Long user(Long claimed) {
        if (mode == SecuritySettings.AuthMode.NONE) {
            return claimed;
        }
        if (userId == null) {
            throw ApiException.unauthorized("sign in: send Authorization: Bearer <token>", false);
        }
        if (claimed != null && !Objects.equals(claimed, userId)) {
            throw ApiException.forbidden("user_id " + claimed + " is not the token's user");
        }
        return userId;
    }

    /** Only for resets: refused without authentication, since then anyone could claim to be an admin. */
    public void requireAdmin() {
        if (mode == SecuritySettings.AuthMode.NONE) {
            throw ApiException.forbidden("resetting a counter needs TALLY_AUTH=jwt and a token with the admin role");
        }
        if (userId == null) {
            throw ApiException.unauthorized("sign in: send Authorization: Bearer <token>", false);
        }
        if (!admin) {
            throw ApiException.forbidden("resetting a counter needs the admin role");
        }
    }
}
