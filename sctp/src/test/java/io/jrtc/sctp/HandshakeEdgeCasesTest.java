package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.ErrorKind;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.testkit.NetemConfig;
import io.jrtc.testkit.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HandshakeEdgeCasesTest {

    @Test
    void unansweredInitGivesUpAfterMaxInitRetransmits() {
        SctpPair p = SctpPair.of(SctpPair.config(1).maxInitRetransmits(3), SctpPair.config(2), NetemConfig.perfect(), 1);
        p.net.withFilter((d, i, pkt) -> true);
        p.a.connect(p.now());
        p.run(() -> p.a.isTerminated(), Duration.ofMinutes(5));
        assertThat(p.a.isTerminated()).isTrue();
        SctpEvent.Aborted a = SctpPair.all(p.eventsA, SctpEvent.Aborted.class).get(0);
        assertThat(a.kind()).isEqualTo(ErrorKind.TIMEOUT);
        // 1 INIT, the fallback INIT without Zero Checksum Acceptable at 100 ms, 3 retransmissions; backoff 0.5 + 1 + 2 + 4 s
        assertThat(p.net.transmitted(io.jrtc.testkit.BackToBack.Direction.A_TO_B)).isEqualTo(5);
        assertThat(p.now()).isEqualTo(Duration.ofMillis(7500).toNanos());
    }

    @Test
    void unansweredInitGivesUpEvenWhenTheBackoffReachesRtoMax() {
        // Capping the backoff at RTO.Max once restarted the timer's count, so the INIT was retransmitted for ever.
        SctpPair p = SctpPair.of(SctpPair.config(1).maxInitRetransmits(4).rtoMax(Duration.ofSeconds(1)), SctpPair.config(2),
                NetemConfig.perfect(), 1);
        p.net.withFilter((d, i, pkt) -> true);
        p.a.connect(p.now());
        assertThat(p.run(() -> p.a.isTerminated(), Duration.ofMinutes(5))).isTrue();
        // INIT at 0, fallback INIT at 0.1 s, retransmissions at 0.5, 1.5, 2.5, 3.5 s (backoff capped at 1 s), abort at 4.5 s
        assertThat(p.net.transmitted(io.jrtc.testkit.BackToBack.Direction.A_TO_B)).isEqualTo(6);
        assertThat(p.now()).isEqualTo(Duration.ofMillis(4500).toNanos());
        assertThat(SctpPair.all(p.eventsA, SctpEvent.Aborted.class).get(0).reason()).contains("INIT unanswered after 4 retransmissions");
    }

    @Test
    void aStaleCookieIsRefusedAndTheHandshakeStartsOverWithACookiePreservative() {
        // The link takes longer one way than the cookie lives, so the first COOKIE ECHO arrives stale.
        SctpConfig.Builder ca = SctpPair.config(1).rtoInitial(Duration.ofSeconds(3)).rtoMax(Duration.ofSeconds(10));
        SctpConfig.Builder cb = SctpPair.config(2).cookieLifetime(Duration.ofMillis(1500));
        SctpPair p = new SctpPair(ca.build(), cb.build(), NetemConfig.perfect().withDelay(Duration.ofMillis(900)),
                NetemConfig.perfect().withDelay(Duration.ofMillis(900)), 4);
        int[] initsSent = {0};
        boolean[] sawPreservative = {false};
        p.net.withListener((t, d, i, pkt) -> {
            if (d == io.jrtc.testkit.BackToBack.Direction.A_TO_B && (pkt.get(12) & 0xFF) == ChunkTypes.INIT) {
                initsSent[0]++;
                // Cookie Preservative (type 9) appears only in the INIT that follows a Stale Cookie error
                for (int at = 32; at + 4 <= pkt.limit(); at += 4) {
                    if (pkt.getShort(at) == 9 && pkt.getShort(at + 2) == 8) {
                        sawPreservative[0] = true;
                    }
                }
            }
        });
        p.a.connect(p.now());
        assertThat(p.run(() -> p.a.state() == SctpState.ESTABLISHED && p.b.state() == SctpState.ESTABLISHED, Duration.ofSeconds(60)))
                .isTrue();
        assertThat(initsSent[0]).isGreaterThanOrEqualTo(2);
        assertThat(sawPreservative[0]).isTrue();
    }

    @Test
    void aRestartedPeerIsReportedAndBothSidesCarryOn() {
        VirtualClock clock = new VirtualClock();
        SctpAssociation b = new SctpAssociation(SctpPair.config(2).build(), "B");
        SctpAssociation a1 = new SctpAssociation(SctpPair.config(1).build(), "A1");
        io.jrtc.testkit.BackToBack n1 = new io.jrtc.testkit.BackToBack(a1, b, NetemConfig.perfect(), NetemConfig.perfect(), 1, clock);
        a1.connect(clock.now());
        b.connect(clock.now());
        n1.runUntil(() -> a1.state() == SctpState.ESTABLISHED && b.state() == SctpState.ESTABLISHED, Duration.ofSeconds(5));
        while (b.pollEvent().isPresent()) {
            // drain Connected
        }
        // A crashes and comes back as a fresh association on the same ports.
        SctpAssociation a2 = new SctpAssociation(SctpPair.config(77).build(), "A2");
        io.jrtc.testkit.BackToBack n2 = new io.jrtc.testkit.BackToBack(a2, b, NetemConfig.perfect(), NetemConfig.perfect(), 2, clock);
        a2.connect(clock.now());
        assertThat(n2.runUntil(() -> a2.state() == SctpState.ESTABLISHED, Duration.ofSeconds(5))).isTrue();
        boolean restarted = false;
        for (var e = b.pollEvent(); e.isPresent(); e = b.pollEvent()) {
            restarted |= e.get() instanceof SctpEvent.Restarted;
        }
        assertThat(restarted).isTrue();
        a2.send(clock.now(), 0, 51, java.nio.ByteBuffer.wrap(new byte[] {42}), SendOptions.RELIABLE);
        n2.runFor(Duration.ofMillis(100));
        boolean got = false;
        for (var e = b.pollEvent(); e.isPresent(); e = b.pollEvent()) {
            got |= e.get() instanceof SctpEvent.MessageReceived m && m.data().get(0) == 42;
        }
        assertThat(got).isTrue();
    }

    @Test
    void aRemotePortLearnedBeforeTheHandshakeIsUsedBothWays() {
        // A listens on 5001; B learns it from A's description (setRemotePort) before any packet flows.
        SctpPair p = SctpPair.of(SctpPair.config(1).localPort(5001), SctpPair.config(2), NetemConfig.perfect(), 1);
        p.b.setRemotePort(5001);
        p.a.setRemotePort(5000);
        int[] ports = {-1, -1};
        p.net.withListener((t, d, i, pkt) -> {
            if (d == io.jrtc.testkit.BackToBack.Direction.B_TO_A) {
                ports[0] = Short.toUnsignedInt(pkt.getShort(0));
                ports[1] = Short.toUnsignedInt(pkt.getShort(2));
            }
        });
        p.a.connect(p.now());
        p.b.connect(p.now());
        assertThat(p.run(() -> p.a.state() == SctpState.ESTABLISHED && p.b.state() == SctpState.ESTABLISHED, Duration.ofSeconds(5)))
                .isTrue();
        assertThat(ports).containsExactly(5000, 5001);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.b.setRemotePort(5002))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already talks to port 5001");
        p.b.setRemotePort(5001); // the same port is always fine
    }

    @Test
    void withoutTheRemotePortEveryPacketIsDroppedAndNoAssociationForms() {
        SctpPair p = SctpPair.of(SctpPair.config(1).localPort(5001).maxInitRetransmits(1), SctpPair.config(2).maxInitRetransmits(1),
                NetemConfig.perfect(), 1);
        p.a.connect(p.now());
        p.b.connect(p.now());
        assertThat(p.run(() -> p.a.isTerminated() && p.b.isTerminated(), Duration.ofMinutes(1))).isTrue();
        assertThat(p.b.state()).isNotEqualTo(SctpState.ESTABLISHED);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.a.setRemotePort(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
