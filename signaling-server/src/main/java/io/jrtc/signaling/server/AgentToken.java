package io.jrtc.signaling.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and verifies the HMAC-signed, expiring agent tokens that {@code register} carries when the server
 * has a secret. The format (single-sourced in {@code signaling-server/README.md}, "Tokens") is
 *
 * <pre>
 *   token   = "v1." + b64url(agent_id) + "." + expiry + "." + b64url(mac)
 *   expiry  = decimal Unix seconds after which the token is refused
 *   mac     = HMAC-SHA256(key = UTF-8(secret), data = ASCII("v1." + b64url(agent_id) + "." + expiry))
 *   b64url  = RFC 4648 section 5 alphabet, no padding
 * </pre>
 *
 * <p>The MAC is compared in constant time ({@link MessageDigest#isEqual}). {@code signaling-client} carries
 * an independent minting implementation of the same format; the two are cross-tested.
 *
 * <p>Stateless and thread-safe.
 */
public final class AgentToken {

    /** The version prefix of the current token format. */
    public static final String VERSION = "v1";
    /** Tokens longer than this are refused unparsed. */
    public static final int MAX_TOKEN_LENGTH = 1024;
    /** Agent ids longer than this cannot be carried in a token (nor registered). */
    public static final int MAX_AGENT_ID_LENGTH = 64;

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** Why a token was accepted or refused. */
    public enum Verdict {
        /** Well formed, correctly signed, for this agent, not expired, lifetime within the maximum age. */
        VALID,
        /** Missing, too long, wrong number of parts, wrong version, or undecodable. */
        MALFORMED,
        /** The MAC does not match (tampered payload or another secret). */
        BAD_SIGNATURE,
        /** Correctly signed but for another {@code agent_id}. */
        WRONG_AGENT,
        /** Correctly signed, but its expiry has passed. */
        EXPIRED,
        /** Correctly signed, but it expires further in the future than the configured maximum age allows. */
        LIFETIME_TOO_LONG
    }

    private AgentToken() {
    }

    /**
     * Mints a token for {@code agentId} that expires at {@code expiry} (truncated to whole seconds).
     *
     * @throws IllegalArgumentException if the secret is empty or the agent id is empty or too long
     */
    public static String mint(byte[] secret, String agentId, Instant expiry) {
        Objects.requireNonNull(expiry, "expiry");
        requireSecret(secret);
        if (agentId == null || agentId.isEmpty() || agentId.length() > MAX_AGENT_ID_LENGTH) {
            throw new IllegalArgumentException("agent id must be 1.." + MAX_AGENT_ID_LENGTH + " characters");
        }
        String payload = VERSION + "." + B64.encodeToString(agentId.getBytes(StandardCharsets.UTF_8))
                + "." + expiry.getEpochSecond();
        return payload + "." + B64.encodeToString(hmac(secret, payload));
    }

    /** Convenience for {@link #mint(byte[], String, Instant)} with a UTF-8 string secret. */
    public static String mint(String secret, String agentId, Instant expiry) {
        return mint(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8), agentId, expiry);
    }

    /**
     * Verifies {@code token} for {@code agentId} at time {@code now}.
     *
     * @param maxAge the longest lifetime accepted: tokens expiring after {@code now + maxAge} are refused
     */
    public static Verdict verify(byte[] secret, String token, String agentId, Instant now, Duration maxAge) {
        requireSecret(secret);
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Verdict.MALFORMED;
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 4 || !VERSION.equals(parts[0])) {
            return Verdict.MALFORMED;
        }
        byte[] idBytes;
        byte[] mac;
        long expiry;
        try {
            idBytes = B64D.decode(parts[1]);
            mac = B64D.decode(parts[3]);
            if (parts[2].isEmpty() || parts[2].length() > 19
                    || !parts[2].chars().allMatch(c -> c >= '0' && c <= '9')
                    || (parts[2].length() > 1 && parts[2].charAt(0) == '0')) {
                return Verdict.MALFORMED; // exactly one string form: no sign, no leading zeros
            }
            expiry = Long.parseLong(parts[2]);
            // exactly one string form: no padding, no non-zero trailing bits (re-encoding gives it back)
            if (!B64.encodeToString(idBytes).equals(parts[1]) || !B64.encodeToString(mac).equals(parts[3])) {
                return Verdict.MALFORMED;
            }
        } catch (IllegalArgumentException e) {
            return Verdict.MALFORMED;
        }
        String payload = parts[0] + "." + parts[1] + "." + parts[2];
        if (!MessageDigest.isEqual(hmac(secret, payload), mac)) {
            return Verdict.BAD_SIGNATURE;
        }
        if (agentId == null || !MessageDigest.isEqual(idBytes, agentId.getBytes(StandardCharsets.UTF_8))) {
            return Verdict.WRONG_AGENT;
        }
        long nowSeconds = now.getEpochSecond();
        if (expiry <= nowSeconds) {
            return Verdict.EXPIRED;
        }
        if (expiry - nowSeconds > maxAge.toSeconds()) {
            return Verdict.LIFETIME_TOO_LONG;
        }
        return Verdict.VALID;
    }

    private static void requireSecret(byte[] secret) {
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("token secret must not be empty");
        }
    }

    private static byte[] hmac(byte[] secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
