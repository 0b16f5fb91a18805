package io.jrtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8445 §11: an idle selected pair gets a Binding indication every Tr; traffic in between postpones it. */
class KeepalivesWhenIdle {

    @Test
    void bindingIndicationsOnlyWhenNothingElseIsSent() {
        VirtualNetwork net = new VirtualNetwork(12);
        List<Long> keepalivesFromA = new ArrayList<>();
        net.tap((now, from, to, data) -> {
            if (from.getPort() == 5000 && Pairing.isBindingIndication(Pairing.stun(data))) {
                keepalivesFromA.add(now);
            }
        });
        IceConfig noConsent = TestAgents.config(1).consentFreshness(false).keepaliveInterval(Duration.ofSeconds(2)).build();
        VirtualNetwork.Node[] n = Pairing.pair(net, noConsent, TestAgents.config(2).consentFreshness(false).build(),
                IceRole.CONTROLLING, IceRole.CONTROLLED);
        Pairing.start(net, n);
        assertThat(net.runUntil(() -> n[0].connected() && n[1].connected(), Duration.ofSeconds(5))).isTrue();
        net.runFor(Duration.ofMillis(100));
        keepalivesFromA.clear();
        long idleFrom = net.now();
        net.runFor(Duration.ofSeconds(20));
        // Idle: one every 2 s.
        assertThat(keepalivesFromA).hasSizeBetween(9, 10);
        for (int i = 1; i < keepalivesFromA.size(); i++) {
            assertThat(keepalivesFromA.get(i) - keepalivesFromA.get(i - 1)).isEqualTo(Duration.ofSeconds(2).toNanos());
        }
        assertThat(keepalivesFromA.get(0) - idleFrom).isLessThanOrEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(n[0].agent.stats().keepalivesSent()).isGreaterThanOrEqualTo(keepalivesFromA.size());
        // Busy: data every 500 ms, no keepalive needed.
        keepalivesFromA.clear();
        for (int i = 0; i < 20; i++) {
            net.schedule(Duration.ofMillis(500L * i), () -> n[0].send(new byte[] {(byte) 0x80, 1, 2}));
        }
        net.runFor(Duration.ofMillis(9900));
        assertThat(keepalivesFromA).isEmpty();
        // The peer does not mistake keepalives for data.
        assertThat(n[1].received).hasSize(20);
        // Consent was off, so the pair never went DISCONNECTED despite silence from b's side.
        assertThat(n[0].states).doesNotContain(IceConnectionState.DISCONNECTED);
    }
}
