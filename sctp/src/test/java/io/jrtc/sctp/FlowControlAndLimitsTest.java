package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FlowControlAndLimitsTest {

    @Test
    void thePeersMaxMessageSizeAndOursAreEnforcedAtSend() {
        SctpPair p = SctpPair.perfect(1);
        p.establish();
        assertThat(p.a.maxMessageSize()).isEqualTo(256 * 1024);
        assertThatThrownBy(() -> p.a.send(p.now(), 0, 53, ByteBuffer.allocate(256 * 1024 + 1), SendOptions.RELIABLE))
                .isInstanceOf(MessageTooLargeException.class).hasMessageContaining("262145").hasMessageContaining("262144");
        p.a.setRemoteMaxMessageSize(1000);
        assertThat(p.a.maxMessageSize()).isEqualTo(1000);
        MessageTooLargeException e = org.junit.jupiter.api.Assertions.assertThrows(MessageTooLargeException.class,
                () -> p.a.send(p.now(), 0, 53, ByteBuffer.allocate(1001), SendOptions.RELIABLE));
        assertThat(e.size()).isEqualTo(1001);
        assertThat(e.limit()).isEqualTo(1000);
        p.a.send(p.now(), 0, 53, ByteBuffer.allocate(1000), SendOptions.RELIABLE);
        p.a.setRemoteMaxMessageSize(0); // RFC 8841: 0 means no limit from the peer, ours still applies
        assertThat(p.a.maxMessageSize()).isEqualTo(256 * 1024);
        assertThatThrownBy(() -> p.a.send(p.now(), 0, 53, ByteBuffer.allocate(0), SendOptions.RELIABLE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.a.send(p.now(), 65535, 53, ByteBuffer.allocate(1), SendOptions.RELIABLE))
                .isInstanceOf(IllegalArgumentException.class);
        SctpAssociation notOpen = new SctpAssociation(SctpPair.config(3).build());
        assertThatThrownBy(() -> notOpen.send(0, 0, 53, ByteBuffer.allocate(1), SendOptions.RELIABLE))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSixteenMebibyteMessageArrivesWhole() throws Exception {
        long size = 16L << 20;
        SctpConfig.Builder c = SctpPair.config(5).maxMessageSize(size);
        SctpPair p = SctpPair.of(c, SctpPair.config(6).maxMessageSize(size), NetemConfig.perfect().withDelay(Duration.ofMillis(5)), 1);
        assertThat(c.build().receiveWindow()).isGreaterThanOrEqualTo(size);
        p.establish();
        byte[] big = new byte[(int) size];
        new SplittableRandom(1).nextBytes(big);
        p.a.send(p.now(), 2, 53, ByteBuffer.wrap(big), SendOptions.RELIABLE);
        assertThat(p.run(() -> SctpPair.has(p.eventsB, SctpEvent.MessageReceived.class), Duration.ofMinutes(5))).isTrue();
        ByteBuffer got = SctpPair.all(p.eventsB, SctpEvent.MessageReceived.class).get(0).data();
        assertThat(got.remaining()).isEqualTo(big.length);
        MessageDigest d1 = MessageDigest.getInstance("SHA-256");
        MessageDigest d2 = MessageDigest.getInstance("SHA-256");
        d2.update(got.duplicate());
        assertThat(d2.digest()).isEqualTo(d1.digest(big));
    }

    @Test
    void theSendBufferIsCappedAndBufferedAmountFallsAsDataGoesOut() {
        SctpConfig.Builder c = SctpPair.config(7).maxSendBuffer(512 * 1024);
        SctpPair p = SctpPair.of(c, SctpPair.config(8), NetemConfig.perfect().withDelay(Duration.ofMillis(20)), 2);
        p.establish();
        p.a.setBufferedAmountLowThreshold(3, 100_000);
        for (int i = 0; i < 8; i++) {
            p.a.send(p.now(), 3, 53, ByteBuffer.allocate(64 * 1024), SendOptions.RELIABLE);
        }
        // the first packets left at once (initial cwnd); everything else waits
        assertThat(p.a.bufferedAmount(3)).isEqualTo(8 * 64 * 1024);
        assertThatThrownBy(() -> p.a.send(p.now(), 4, 53, ByteBuffer.allocate(1), SendOptions.RELIABLE))
                .isInstanceOf(SendBufferFullException.class);
        p.net.flush();
        long afterFirstFlight = p.a.bufferedAmount(3);
        assertThat(afterFirstFlight).isLessThan(8 * 64 * 1024).isGreaterThan(400_000);
        assertThat(p.run(() -> SctpPair.has(p.eventsA, SctpEvent.BufferedAmountLow.class), Duration.ofSeconds(10))).isTrue();
        assertThat(p.a.bufferedAmount(3)).isLessThanOrEqualTo(100_000);
        assertThat(SctpPair.all(p.eventsA, SctpEvent.BufferedAmountLow.class)).containsExactly(new SctpEvent.BufferedAmountLow(3));
        assertThat(p.run(() -> p.a.allDataAcknowledged(), Duration.ofSeconds(10))).isTrue();
        assertThat(p.a.bufferedAmount(3)).isZero();
    }

    @Test
    void aReceiverThatDoesNotReadClosesTheWindowAndReopensItWhenItDoes() {
        SctpConfig.Builder cb = SctpPair.config(10).receiveWindow(256 * 1024);
        SctpPair p = SctpPair.of(SctpPair.config(9), cb, NetemConfig.perfect().withDelay(Duration.ofMillis(10)), 3);
        p.establish();
        p.drainB = false;
        int n = 60;
        for (int i = 0; i < n; i++) {
            p.a.send(p.now(), 1, 53, Messages.make(i, 16 * 1024), SendOptions.RELIABLE);
        }
        p.run(() -> false, Duration.ofSeconds(5));
        SctpStats b = p.b.stats();
        assertThat(b.localRwnd()).isLessThan(16 * 1024);
        assertThat(b.userBytesReceived()).isLessThanOrEqualTo(256 * 1024 + 1200).isGreaterThan(200 * 1024);
        assertThat(p.a.bufferedAmount()).isPositive();
        assertThat(p.a.state()).isEqualTo(SctpState.ESTABLISHED);
        p.drainB = true;
        assertThat(p.run(() -> SctpPair.all(p.eventsB, SctpEvent.MessageReceived.class).size() == n, Duration.ofSeconds(30))).isTrue();
        for (int i = 0; i < n; i++) {
            assertThat(Messages.check(SctpPair.all(p.eventsB, SctpEvent.MessageReceived.class).get(i).data())).isEqualTo(i);
        }
        // the only chunks beyond the window are zero-window probes (RFC 9260 §6.1 A), one per T3 expiry
        assertThat(p.b.stats().dropsReceiveWindow()).as("the sender respected the window").isLessThanOrEqualTo(p.a.stats().t3Expiries() + 1);
    }

    @Test
    void configRejectsAReceiveWindowSmallerThanAMessage() {
        assertThatThrownBy(() -> SctpConfig.builder().maxMessageSize(1 << 20).receiveWindow(1 << 19).build())
                .isInstanceOf(IllegalArgumentException.class);
        SctpConfig d = SctpConfig.defaults();
        assertThat(d.receiveWindow()).isEqualTo(4L << 20);
        assertThat(d.mtu()).isEqualTo(1200);
        assertThat(d.initialCwnd()).isEqualTo(4380);
        assertThat(SctpConfig.builder().maxMessageSize(16L << 20).build().receiveWindow()).isEqualTo(16L << 20);
    }
}
