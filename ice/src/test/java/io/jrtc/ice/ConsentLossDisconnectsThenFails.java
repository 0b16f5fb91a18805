package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Consent freshness (RFC 7675) is on by default: when the peer goes silent the agent reports DISCONNECTED after
 * the disconnected timeout and FAILED when consent expires (30 s), then refuses to send. If the peer comes back
 * before expiry, the state returns to CONNECTED.
 */
class ConsentLossDisconnectsThenFails {

    @Test
    void silentPeerMeansDisconnectedThenFailed() {
        VirtualNetwork net = new VirtualNetwork(4);
        VirtualNetwork.Node[] n = Pairing.pair(net, TestAgents.config(1).build(), TestAgents.config(2).build(),
                IceRole.CONTROLLING, IceRole.CONTROLLED);
        Pairing.start(net, n);
        assertThat(net.runUntil(() -> n[0].connected() && n[1].connected(), Duration.ofSeconds(5))).isTrue();
        net.runFor(Duration.ofSeconds(20));
        // Healthy: consent checks every ~2 s keep it connected; no disconnection at all.
        assertThat(n[0].states).doesNotContain(IceConnectionState.DISCONNECTED);
        assertThat(n[0].agent.stats().consentChecksSent()).isBetween(8L, 13L);

        n[1].silent = true;
        long silentAt = net.now();
        assertThat(net.runUntil(() -> n[0].state() == IceConnectionState.DISCONNECTED, Duration.ofSeconds(10))).isTrue();
        long disconnectedAfter = net.now() - silentAt;
        // The last answer came at most one consent interval (2 s +20%) before the silence began.
        assertThat(Duration.ofNanos(disconnectedAfter)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(5));
        assertThat(net.runUntil(() -> n[0].state() == IceConnectionState.FAILED, Duration.ofSeconds(40))).isTrue();
        long failedAfter = net.now() - silentAt;
        assertThat(Duration.ofNanos(failedAfter)).isBetween(Duration.ofMillis(27500), Duration.ofSeconds(30));
        assertThat(n[0].events).anyMatch(e -> e instanceof IceEvent.Error err && err.message().contains("consent"));
        assertThat(n[0].agent.send(net.now(), ByteBuffer.wrap(new byte[] {(byte) 0x80, 0}))).isFalse();
        assertThat(n[0].agent.stats().drops(IceDropReason.CONSENT_EXPIRED)).isEqualTo(1);
        assertThat(n[0].states).endsWith(IceConnectionState.DISCONNECTED, IceConnectionState.FAILED)
                .containsAnyOf(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
    }

    @Test
    void peerComingBackBeforeExpiryReconnects() {
        VirtualNetwork net = new VirtualNetwork(5);
        VirtualNetwork.Node[] n = Pairing.pair(net, TestAgents.config(1).build(), TestAgents.config(2).build(),
                IceRole.CONTROLLING, IceRole.CONTROLLED);
        Pairing.start(net, n);
        assertThat(net.runUntil(() -> n[0].connected() && n[1].connected(), Duration.ofSeconds(5))).isTrue();
        n[1].silent = true;
        assertThat(net.runUntil(() -> n[0].state() == IceConnectionState.DISCONNECTED, Duration.ofSeconds(10))).isTrue();
        n[1].silent = false;
        assertThat(net.runUntil(() -> n[0].connected(), Duration.ofSeconds(5))).isTrue();
        net.runFor(Duration.ofSeconds(40));
        assertThat(n[0].connected()).isTrue();
        assertThat(n[0].states).doesNotContain(IceConnectionState.FAILED);
    }

    @Test
    void configuredTimesAreHonoured() {
        VirtualNetwork net = new VirtualNetwork(6);
        IceConfig fast = TestAgents.config(1).consentInterval(Duration.ofMillis(500))
                .disconnectedTimeout(Duration.ofSeconds(2)).consentTimeout(Duration.ofSeconds(6)).build();
        VirtualNetwork.Node[] n = Pairing.pair(net, fast, TestAgents.config(2).build(), IceRole.CONTROLLING, IceRole.CONTROLLED);
        Pairing.start(net, n);
        assertThat(net.runUntil(() -> n[0].connected() && n[1].connected(), Duration.ofSeconds(5))).isTrue();
        net.runFor(Duration.ofSeconds(3));
        n[1].silent = true;
        long t0 = net.now();
        assertThat(net.runUntil(() -> n[0].state() == IceConnectionState.DISCONNECTED, Duration.ofSeconds(5))).isTrue();
        assertThat(Duration.ofNanos(net.now() - t0)).isBetween(Duration.ofMillis(1300), Duration.ofSeconds(2));
        assertThat(net.runUntil(() -> n[0].state() == IceConnectionState.FAILED, Duration.ofSeconds(10))).isTrue();
        assertThat(Duration.ofNanos(net.now() - t0)).isBetween(Duration.ofMillis(5300), Duration.ofSeconds(6));
    }
}
