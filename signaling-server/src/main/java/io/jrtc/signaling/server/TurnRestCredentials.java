package io.jrtc.signaling.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ephemeral TURN credentials of the "TURN REST API" scheme (draft-uberti-behave-turn-rest-00, section 2.2),
 * the scheme coturn accepts with {@code --use-auth-secret --static-auth-secret=<secret>}:
 *
 * <pre>
 *   username   = expiry + ":" + agent_id        (expiry in Unix seconds)
 *   credential = base64( HMAC-SHA1( key = UTF-8(secret), data = UTF-8(username) ) )
 * </pre>
 *
 * The TURN server recomputes the credential from the username and refuses it once {@code expiry} has passed.
 *
 * @param username   the TURN username
 * @param credential the TURN password (standard base64, with padding)
 * @param expiry     when the credential stops being accepted
 */
public record TurnRestCredentials(String username, String credential, Instant expiry) {

    public TurnRestCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(expiry, "expiry");
    }

    /** Computes credentials for {@code agentId} valid from {@code now} for {@code lifetime}. */
    public static TurnRestCredentials compute(String secret, String agentId, Instant now, Duration lifetime) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("TURN shared secret must not be empty");
        }
        Objects.requireNonNull(agentId, "agentId");
        Instant expiry = Instant.ofEpochSecond(now.getEpochSecond() + lifetime.toSeconds());
        String username = expiry.getEpochSecond() + ":" + agentId;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            byte[] raw = mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
            return new TurnRestCredentials(username, Base64.getEncoder().encodeToString(raw), expiry);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "TurnRestCredentials[username=" + username + ", credential=<redacted>, expiry=" + expiry + "]";
    }
}
