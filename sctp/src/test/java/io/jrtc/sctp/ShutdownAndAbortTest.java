package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jrtc.common.ErrorKind;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.testkit.BackToBack.Direction;
import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShutdownAndAbortTest {

    @Test
    void gracefulShutdownDeliversEverythingQueuedFirst() {
        SctpPair p = SctpPair.of(SctpPair.config(1), SctpPair.config(2),
                NetemConfig.perfect().withDelay(Duration.ofMillis(20)).withLoss(0.05), 4);
        p.establish();
        for (int i = 0; i < 200; i++) {
            p.a.send(p.now(), 1, 53, Messages.make(i, 3000), SendOptions.RELIABLE);
        }
        p.a.shutdown(p.now());
        assertThat(p.a.state()).isEqualTo(SctpState.SHUTDOWN_PENDING);
        assertThatThrownBy(() -> p.a.send(p.now(), 1, 53, Messages.make(1, 10), SendOptions.RELIABLE))
                .isInstanceOf(IllegalStateException.class);
        assertThat(p.run(() -> p.a.isTerminated() && p.b.isTerminated(), Duration.ofMinutes(2))).isTrue();
        assertThat(SctpPair.all(p.eventsB, SctpEvent.MessageReceived.class)).hasSize(200);
        assertThat(SctpPair.all(p.eventsA, SctpEvent.Closed.class)).hasSize(1);
        assertThat(SctpPair.all(p.eventsB, SctpEvent.Closed.class)).hasSize(1);
        assertThat(p.a.pollTimeout()).isEqualTo(SctpAssociation.NO_TIMEOUT);
        assertThat(p.b.pollTimeout()).isEqualTo(SctpAssociation.NO_TIMEOUT);
    }

    @Test
    void bothSidesShuttingDownAtOnceStillCloseCleanly() {
        SctpPair p = SctpPair.of(SctpPair.config(3), SctpPair.config(4), NetemConfig.perfect().withDelay(Duration.ofMillis(20)), 5);
        p.establish();
        p.a.shutdown(p.now());
        p.b.shutdown(p.now());
        assertThat(p.run(() -> p.a.isTerminated() && p.b.isTerminated(), Duration.ofSeconds(30))).isTrue();
        assertThat(SctpPair.has(p.eventsA, SctpEvent.Closed.class)).isTrue();
        assertThat(SctpPair.has(p.eventsB, SctpEvent.Closed.class)).isTrue();
    }

    @Test
    void aLostShutdownCompleteIsAnsweredAgainAfterClosing() {
        SctpPair p = SctpPair.of(SctpPair.config(5), SctpPair.config(6), NetemConfig.perfect().withDelay(Duration.ofMillis(20)), 6);
        p.establish();
        boolean[] dropped = {false};
        p.net.withFilter((d, i, pkt) -> {
            if (!dropped[0] && (pkt.get(12) & 0xFF) == ChunkTypes.SHUTDOWN_COMPLETE) {
                dropped[0] = true;
                return true;
            }
            return false;
        });
        p.b.shutdown(p.now());
        assertThat(p.run(() -> p.a.isTerminated() && p.b.isTerminated(), Duration.ofSeconds(30))).isTrue();
        assertThat(dropped[0]).isTrue();
        assertThat(SctpPair.has(p.eventsA, SctpEvent.Closed.class)).isTrue();
        assertThat(SctpPair.has(p.eventsB, SctpEvent.Closed.class)).isTrue();
    }

    @Test
    void abortReachesThePeerWithItsReason() {
        SctpPair p = SctpPair.perfect(7);
        p.establish();
        p.a.abort(p.now(), "user closed the tab");
        assertThat(p.a.isTerminated()).isTrue();
        assertThat(SctpPair.all(p.eventsA, SctpEvent.Aborted.class)).isEmpty(); // not drained yet
        assertThat(p.run(() -> p.b.isTerminated(), Duration.ofSeconds(1))).isTrue();
        SctpEvent.Aborted local = SctpPair.all(p.eventsA, SctpEvent.Aborted.class).get(0);
        assertThat(local.kind()).isEqualTo(ErrorKind.LOCAL_CLOSE);
        SctpEvent.Aborted remote = SctpPair.all(p.eventsB, SctpEvent.Aborted.class).get(0);
        assertThat(remote.kind()).isEqualTo(ErrorKind.PEER_ABORTED);
        assertThat(remote.reason()).contains("user closed the tab");
        assertThatThrownBy(() -> p.a.connect(p.now())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDataChunkWithoutUserDataAbortsTheAssociation() {
        SctpPair p = SctpPair.of(SctpPair.config(8).zeroChecksum(false), SctpPair.config(9).zeroChecksum(false), NetemConfig.perfect(), 1);
        java.util.List<byte[]> sent = new java.util.ArrayList<>();
        p.net.withListener((t, d, i, pkt) -> {
            if (d == Direction.A_TO_B) {
                byte[] b = new byte[pkt.remaining()];
                pkt.duplicate().get(b);
                sent.add(b);
            }
        });
        p.establish();
        p.a.send(p.now(), 0, 53, java.nio.ByteBuffer.wrap(new byte[] {1}), SendOptions.RELIABLE);
        p.net.flush();
        byte[] data = sent.get(sent.size() - 1);
        // Rewrite the DATA chunk (at offset 12) to carry no user data and a TSN one ahead.
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + 16);
        b.put(data, 0, 12).put(data, 12, 16);
        b.putShort(14, (short) 16);
        b.putInt(16, b.getInt(16) + 1);
        io.jrtc.sctp.packet.SctpPacket.putChecksum(b, 0, io.jrtc.sctp.packet.SctpPacket.computeChecksum(b.flip(), new java.util.zip.CRC32C()));
        p.b.handleInput(p.now(), b);
        assertThat(p.b.isTerminated()).isTrue();
        assertThat(p.run(() -> p.a.isTerminated(), Duration.ofSeconds(1))).isTrue();
        assertThat(SctpPair.all(p.eventsA, SctpEvent.Aborted.class).get(0).reason()).contains("NoUserData");
    }
}
