package io.jrtc.signaling.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Agent tokens: a known vector computed with openssl, then valid, expired, for another id, tampered (id,
 * expiry, MAC), another secret, malformed and over-long lifetimes, both in {@link AgentToken#verify} and
 * over the wire against a server with a secret.
 */
class AgentTokenAcceptsOnlyValidSignedUnexpiredTokens {

    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.ofEpochSecond(1_699_990_000L);
    private static final Duration MAX_AGE = Duration.ofDays(1);

    @Test
    void knownVectorMatchesOpenssl() {
        // printf 'v1.YTE.1700000000' | openssl dgst -sha256 -hmac 's3cret' -binary | base64 | tr '+/' '-_' | tr -d '='
        assertThat(AgentToken.mint(SECRET, "a1", Instant.ofEpochSecond(1_700_000_000L)))
                .isEqualTo("v1.YTE.1700000000.xkL3IFbpw6i4CQvVrhGimng0MQMPIEkm0epmkfzA_Wc");
    }

    @Test
    void validToken() {
        String t = AgentToken.mint(SECRET, "agent-7", NOW.plusSeconds(600));
        assertThat(AgentToken.verify(SECRET, t, "agent-7", NOW, MAX_AGE)).isEqualTo(AgentToken.Verdict.VALID);
    }

    @Test
    void expiredToken() {
        String t = AgentToken.mint(SECRET, "agent-7", NOW.minusSeconds(1));
        assertThat(AgentToken.verify(SECRET, t, "agent-7", NOW, MAX_AGE)).isEqualTo(AgentToken.Verdict.EXPIRED);
        String edge = AgentToken.mint(SECRET, "agent-7", NOW);
        assertThat(AgentToken.verify(SECRET, edge, "agent-7", NOW, MAX_AGE)).isEqualTo(AgentToken.Verdict.EXPIRED);
    }

    @Test
    void tokenForAnotherAgent() {
        String t = AgentToken.mint(SECRET, "alice", NOW.plusSeconds(600));
        assertThat(AgentToken.verify(SECRET, t, "mallory", NOW, MAX_AGE)).isEqualTo(AgentToken.Verdict.WRONG_AGENT);
    }

    @Test
    void tamperedTokens() {
        String t = AgentToken.mint(SECRET, "alice", NOW.plusSeconds(600));
        String[] p = t.split("\\.");
        String b64Mallory = Base64.getUrlEncoder().withoutPadding().encodeToString("mallory".getBytes(StandardCharsets.UTF_8));
        String otherId = p[0] + "." + b64Mallory + "." + p[2] + "." + p[3];
        assertThat(AgentToken.verify(SECRET, otherId, "mallory", NOW, MAX_AGE)).isEqualTo(AgentToken.Verdict.BAD_SIGNATURE);
        String longer = p[0] + "." + p[1] + "." + (Long.parseLong(p[2]) + 86_400) + "." + p[3];
        assertThat(AgentToken.verify(SECRET, longer, "alice", NOW, MAX_AGE)).isEqualTo(AgentToken.Verdict.BAD_SIGNATURE);
        char c = p[3].charAt(5);
        String flipped = p[0] + "." + p[1] + "." + p[2] + "." + p[3].substring(0, 5) + (c == 'A' ? 'B' : 'A') + p[3].substring(6);
        assertThat(AgentToken.verify(SECRET, flipped, "alice", NOW, MAX_AGE)).isEqualTo(AgentToken.Verdict.BAD_SIGNATURE);
        String otherSecret = AgentToken.mint("not-the-secret", "alice", NOW.plusSeconds(600));
        assertThat(AgentToken.verify(SECRET, otherSecret, "alice", NOW, MAX_AGE)).isEqualTo(AgentToken.Verdict.BAD_SIGNATURE);
    }

    @Test
    void lifetimeBeyondMaxAgeIsRefused() {
        String t = AgentToken.mint(SECRET, "alice", NOW.plus(Duration.ofDays(30)));
        assertThat(AgentToken.verify(SECRET, t, "alice", NOW, MAX_AGE)).isEqualTo(AgentToken.Verdict.LIFETIME_TOO_LONG);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("null", null),
                Arguments.of("empty", ""),
                Arguments.of("three parts", "v1.YWxpY2U.1700000000"),
                Arguments.of("five parts", "v1.YWxpY2U.1700000000.abc.def"),
                Arguments.of("other version", "v2.YWxpY2U.1700000000.xkL3IFbpw6i4CQvVrhGimng0MQMPIEkm0epmkfzA_Wc"),
                Arguments.of("non-digit expiry", "v1.YWxpY2U.17e9.xkL3IFbpw6i4CQvVrhGimng0MQMPIEkm0epmkfzA_Wc"),
                Arguments.of("negative expiry", "v1.YWxpY2U.-5.xkL3IFbpw6i4CQvVrhGimng0MQMPIEkm0epmkfzA_Wc"),
                Arguments.of("bad base64 id", "v1.!!!.1700000000.xkL3IFbpw6i4CQvVrhGimng0MQMPIEkm0epmkfzA_Wc"),
                Arguments.of("bad base64 mac", "v1.YWxpY2U.1700000000.*&^"),
                Arguments.of("too long", "v1." + "A".repeat(2000) + ".1700000000.x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedTokens(String name, String token) {
        assertThat(AgentToken.verify(SECRET, token, "alice", NOW, MAX_AGE)).isEqualTo(AgentToken.Verdict.MALFORMED);
    }

    @Test
    void mintRefusesMisuse() {
        assertThatThrownBy(() -> AgentToken.mint(new byte[0], "a", NOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentToken.mint(SECRET, "", NOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentToken.mint(SECRET, "a".repeat(65), NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ over the wire

    private static final Servers SERVERS = new Servers();
    private static SignalingServer server;

    @BeforeAll
    static void start() {
        server = SERVERS.start(SignalingServerConfig.builder().secret("wire-secret").tokenMaxAge(Duration.ofHours(1)));
    }

    @AfterAll
    static void stop() {
        SERVERS.close();
    }

    static Stream<Arguments> wireCases() {
        Instant now = Instant.now();
        String valid = AgentToken.mint("wire-secret", "carol", now.plusSeconds(300));
        String[] p = valid.split("\\.");
        return Stream.of(
                Arguments.of("valid", "carol", valid, true),
                Arguments.of("expired", "carol", AgentToken.mint("wire-secret", "carol", now.minusSeconds(5)), false),
                Arguments.of("for another id", "dave", valid, false),
                Arguments.of("tampered expiry", "carol", p[0] + "." + p[1] + "." + (Long.parseLong(p[2]) + 60) + "." + p[3], false),
                Arguments.of("signed with another secret", "carol", AgentToken.mint("guess", "carol", now.plusSeconds(300)), false),
                Arguments.of("lifetime beyond max age", "carol", AgentToken.mint("wire-secret", "carol", now.plus(Duration.ofDays(2))), false),
                Arguments.of("missing", "carol", null, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wireCases")
    void registerOverTheWire(String name, String agentId, String token, boolean accepted) throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(server.boundPort())) {
            ws.sendJson("{\"type\":\"register\",\"agent_id\":\"" + agentId + "\""
                    + (token == null ? "" : ",\"token\":\"" + token + "\"") + "}");
            JsonNode r = ws.readJson();
            if (accepted) {
                assertThat(r.get("type").asText()).isEqualTo("registered");
            } else {
                assertThat(r.get("code").asText()).isEqualTo("unauthorized");
                assertThat(ws.awaitCloseFrame(Duration.ofSeconds(3))).isEqualTo(1008);
            }
        }
    }
}
