package io.jrtc.signaling.client;

import io.jrtc.signaling.server.AgentToken;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token format is implemented twice (client mints, server mints and verifies); both produce the same
 * bytes for the same input, including the openssl vector from the README, and the server accepts the
 * client's tokens only for the right id, secret and time.
 */
class AgentTokensMintedByClientVerifiedByServer {

    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);

    @Test
    void bothImplementationsProduceTheReadmeVector() {
        Instant exp = Instant.ofEpochSecond(1_700_000_000L);
        String expected = "v1.YTE.1700000000.xkL3IFbpw6i4CQvVrhGimng0MQMPIEkm0epmkfzA_Wc";
        assertThat(AgentTokens.mint(SECRET, "a1", exp)).isEqualTo(expected);
        assertThat(AgentToken.mint(SECRET, "a1", exp)).isEqualTo(expected);
    }

    @Test
    void identicalForManyIdsAndExpiries() {
        String[] ids = {"a", "agent-1", "web-3f2a1b", "x.y_z~w@host", "A".repeat(64), "\u00e9t\u00e9"};
        for (String id : ids) {
            for (long exp : new long[] {0, 1, 1_700_000_000L, 4_102_444_800L}) {
                assertThat(AgentTokens.mint(SECRET, id, Instant.ofEpochSecond(exp)))
                        .isEqualTo(AgentToken.mint(SECRET, id, Instant.ofEpochSecond(exp)));
            }
        }
    }

    @Test
    void serverVerifiesClientTokens() {
        Instant now = Instant.now();
        String t = AgentTokens.mint(SECRET, "carol", now.plusSeconds(120));
        assertThat(AgentToken.verify(SECRET, t, "carol", now, Duration.ofHours(1))).isEqualTo(AgentToken.Verdict.VALID);
        assertThat(AgentToken.verify(SECRET, t, "dave", now, Duration.ofHours(1))).isEqualTo(AgentToken.Verdict.WRONG_AGENT);
        assertThat(AgentToken.verify(SECRET, t, "carol", now.plusSeconds(121), Duration.ofHours(1)))
                .isEqualTo(AgentToken.Verdict.EXPIRED);
        assertThat(AgentToken.verify("other".getBytes(StandardCharsets.UTF_8), t, "carol", now, Duration.ofHours(1)))
                .isEqualTo(AgentToken.Verdict.BAD_SIGNATURE);
        String fromSupplier = AgentTokens.supplier("s3cret", "carol", Duration.ofMinutes(1),
                java.time.Clock.fixed(now, java.time.ZoneOffset.UTC)).get();
        assertThat(AgentToken.verify(SECRET, fromSupplier, "carol", now, Duration.ofHours(1)))
                .isEqualTo(AgentToken.Verdict.VALID);
    }
}
