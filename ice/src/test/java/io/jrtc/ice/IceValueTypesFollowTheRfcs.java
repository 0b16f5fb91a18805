package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.ice.internal.CandidatePair;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Priorities, foundations, credentials and server URLs as RFC 8445, RFC 8839, RFC 7064 and RFC 7065 define them. */
class IceValueTypesFollowTheRfcs {

    @Test
    void candidatePriorityFormula() {
        // RFC 8445 §5.1.2.1 with the recommended type preferences.
        assertThat(IceCandidate.computePriority(IceCandidateType.HOST, 65535, 1)).isEqualTo(2130706431L);
        assertThat(IceCandidate.computePriority(IceCandidateType.SRFLX, 65535, 1)).isEqualTo(1694498815L);
        assertThat(IceCandidate.computePriority(IceCandidateType.PRFLX, 65535, 1)).isEqualTo(1862270975L);
        assertThat(IceCandidate.computePriority(IceCandidateType.RELAY, 65535, 1)).isEqualTo(16777215L);
        assertThat(IceCandidate.computePriority(IceCandidateType.HOST, 65535, 2)).isEqualTo(2130706430L);
        assertThatThrownBy(() -> IceCandidate.computePriority(IceCandidateType.HOST, 70000, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pairPriorityFormula() {
        // RFC 8445 §6.1.2.3: 2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0)
        long g = 2130706431L;
        long d = 1694498815L;
        assertThat(CandidatePair.pairPriority(g, d)).isEqualTo((d << 32) + 2 * g + 1);
        assertThat(CandidatePair.pairPriority(d, g)).isEqualTo((d << 32) + 2 * g);
    }

    @Test
    void foundationsAreSharedExactlyWhenTypeBaseServerAndTransportMatch() {
        String f1 = IceCandidate.computeFoundation(IceCandidateType.SRFLX, "10.0.0.1", "192.0.2.1", IceProtocol.UDP);
        assertThat(f1).isEqualTo(IceCandidate.computeFoundation(IceCandidateType.SRFLX, "10.0.0.1", "192.0.2.1", IceProtocol.UDP));
        assertThat(f1).isNotEqualTo(IceCandidate.computeFoundation(IceCandidateType.SRFLX, "10.0.0.2", "192.0.2.1", IceProtocol.UDP));
        assertThat(f1).isNotEqualTo(IceCandidate.computeFoundation(IceCandidateType.SRFLX, "10.0.0.1", "192.0.2.2", IceProtocol.UDP));
        assertThat(f1).isNotEqualTo(IceCandidate.computeFoundation(IceCandidateType.HOST, "10.0.0.1", null, IceProtocol.UDP));
        assertThat(f1).hasSizeLessThanOrEqualTo(32).matches("[0-9]+");
    }

    @Test
    void mdnsNamesAreRecognised() {
        IceCandidate c = IceCandidate.of("1", 1, IceProtocol.UDP, 1, "1f0e-ab.local", 9, IceCandidateType.HOST);
        assertThat(c.isMdns()).isTrue();
        assertThat(IceCandidate.of("1", 1, IceProtocol.UDP, 1, "10.0.0.1", 9, IceCandidateType.HOST).isMdns()).isFalse();
    }

    @Test
    void randomCredentialsMeetTheLengthAndCharsetRules() {
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 1000; i++) {
            IceCredentials c = IceCredentials.random(r);
            assertThat(c.ufrag()).hasSize(8).matches("[A-Za-z0-9+/]+");
            assertThat(c.pwd()).hasSize(24).matches("[A-Za-z0-9+/]+");
        }
        assertThat(IceCredentials.random(new SplittableRandom(1))).isEqualTo(IceCredentials.random(new SplittableRandom(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "ab:cd", "ab cd"})
    void badUfragsAreRefused(String ufrag) {
        assertThatThrownBy(() -> new IceCredentials(ufrag, "0123456789012345678901")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shortPasswordIsRefused() {
        assertThatThrownBy(() -> new IceCredentials("abcd", "012345678901234567890")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new IceCredentials("abcd", "0123456789012345678901").pwd()).hasSize(22);
    }

    static Stream<Arguments> urls() {
        return Stream.of(
                Arguments.of("stun:127.0.0.1:3478", IceServer.Scheme.STUN, "127.0.0.1", 3478, IceServer.ServerTransport.UDP),
                Arguments.of("stun:example.org", IceServer.Scheme.STUN, "example.org", 3478, IceServer.ServerTransport.UDP),
                Arguments.of("turn:127.0.0.1:3478?transport=udp", IceServer.Scheme.TURN, "127.0.0.1", 3478, IceServer.ServerTransport.UDP),
                Arguments.of("turn:127.0.0.1:3479?transport=tcp", IceServer.Scheme.TURN, "127.0.0.1", 3479, IceServer.ServerTransport.TCP),
                Arguments.of("turns:turn.example.org?transport=tcp", IceServer.Scheme.TURNS, "turn.example.org", 5349, IceServer.ServerTransport.TLS),
                Arguments.of("turns:127.0.0.1:5349", IceServer.Scheme.TURNS, "127.0.0.1", 5349, IceServer.ServerTransport.TLS),
                Arguments.of("turn:[::1]:3478", IceServer.Scheme.TURN, "::1", 3478, IceServer.ServerTransport.UDP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("urls")
    void parsesUrls(String url, IceServer.Scheme scheme, String host, int port, IceServer.ServerTransport transport) {
        IceServer.Url u = IceServer.parseUrl(url);
        assertThat(u.scheme()).isEqualTo(scheme);
        assertThat(u.host()).isEqualTo(host);
        assertThat(u.port()).isEqualTo(port);
        assertThat(u.transport()).isEqualTo(transport);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://x", "turn://x:1", "turn:x:0", "turn:x:99999", "turn:x?transport=sctp", "turns:x?transport=udp",
            "stun:x?transport=tcp", "turn:", "turn:[::1", "stun"})
    void rejectsBadUrls(String url) {
        assertThatThrownBy(() -> IceServer.parseUrl(url)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void turnNeedsCredentials() {
        assertThatThrownBy(() -> IceServer.stun("turn:127.0.0.1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(IceServer.turn("turn:127.0.0.1", "u", "p").toString()).doesNotContain("p]").contains("<hidden>");
    }

    @Test
    void taBelowFiveMillisecondsIsRefused() {
        assertThatThrownBy(() -> IceConfig.builder().ta(java.time.Duration.ofMillis(4)).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IceConfig.builder().turnPermissionRefresh(java.time.Duration.ofMinutes(5)).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closedAgentRefusesMisuse() {
        IceAgent a = new IceAgent(TestAgents.config(1).build(), TestAgents.creds(1));
        a.close(0);
        assertThat(a.connectionState()).isEqualTo(IceConnectionState.CLOSED);
        assertThat(a.isClosed()).isTrue();
        assertThatThrownBy(() -> a.send(1, java.nio.ByteBuffer.allocate(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.startGathering(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.addLocalSocket(1, SocketId.udp(0), VirtualNetwork.addr("10.0.0.1", 1), IceProtocol.TCP))
                .isInstanceOf(IllegalStateException.class);
    }
}
