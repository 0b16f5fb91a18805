package io.jrtc.signaling.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints agent tokens for servers configured with a secret, in the format specified in
 * {@code signaling-server/README.md} ("Tokens"):
 * {@code "v1." + b64url(agent_id) + "." + expiry + "." + b64url(HMAC-SHA256(secret, "v1." + b64url(agent_id) + "." + expiry))}.
 * The server's {@code AgentToken} verifies them; the two implementations are cross-tested.
 * Stateless and thread-safe.
 */
public final class AgentTokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private AgentTokens() {
    }

    /** A token for {@code agentId} expiring at {@code expiry} (whole seconds). */
    public static String mint(byte[] secret, String agentId, Instant expiry) {
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        if (agentId == null || agentId.isEmpty() || agentId.length() > 64) {
            throw new IllegalArgumentException("agent id must be 1..64 characters");
        }
        Objects.requireNonNull(expiry, "expiry");
        String payload = "v1." + B64.encodeToString(agentId.getBytes(StandardCharsets.UTF_8)) + "."
                + expiry.getEpochSecond();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return payload + "." + B64.encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** A token for {@code agentId} valid for {@code lifetime} from now, with a UTF-8 string secret. */
    public static String mint(String secret, String agentId, Duration lifetime) {
        return mint(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8), agentId,
                Instant.now().plus(lifetime));
    }

    /**
     * A token supplier for {@link SignalingClientConfig.Builder#tokenSupplier}: mints a fresh token with the
     * given lifetime on every (re)connect, so reconnections never present an expired one.
     */
    public static Supplier<String> supplier(String secret, String agentId, Duration lifetime, Clock clock) {
        byte[] key = Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8);
        return () -> mint(key, agentId, clock.instant().plus(lifetime));
    }
}
