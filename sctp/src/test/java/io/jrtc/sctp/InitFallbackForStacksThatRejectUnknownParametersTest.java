package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.ErrorKind;
import io.jrtc.sctp.packet.AbortChunk;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Our INIT carries Zero Checksum Acceptable (RFC 9653); a stack like pion/sctp 1.8.6 drops an INIT (or INIT ACK) with a
 * parameter it does not know. The fallback INIT without it reaches such a peer, and a peer that accepts zero
 * checksums keeps them.
 */
class InitFallbackForStacksThatRejectUnknownParametersTest {

    private static final NetemConfig RTT_20MS = NetemConfig.perfect().withDelay(Duration.ofMillis(10));

    private static long establishTime(BackToBack net, SctpAssociation a, SctpAssociation b, Duration max) {
        boolean ok = net.runUntil(() -> a.state() == SctpState.ESTABLISHED && b.state() == SctpState.ESTABLISHED, max);
        assertThat(ok).as("established: %s %s", a, b).isTrue();
        return net.now();
    }

    /** One message each way, to show the data path works with the checksums both ends chose. */
    private static void exchange(BackToBack net, SctpAssociation a, SctpAssociation b) {
        a.send(net.now(), 1, 53, Messages.make(1, 3000), SendOptions.RELIABLE);
        b.send(net.now(), 1, 53, Messages.make(2, 3000), SendOptions.RELIABLE);
        List<SctpEvent> gotA = new ArrayList<>();
        List<SctpEvent> gotB = new ArrayList<>();
        assertThat(net.runUntil(() -> {
            a.pollEvent().ifPresent(gotA::add);
            b.pollEvent().ifPresent(gotB::add);
            return SctpPair.has(gotA, SctpEvent.MessageReceived.class) && SctpPair.has(gotB, SctpEvent.MessageReceived.class);
        }, Duration.ofSeconds(5))).isTrue();
        assertThat(SctpPair.all(gotB, SctpEvent.MessageReceived.class).get(0).data()).isEqualTo(Messages.make(1, 3000));
        assertThat(SctpPair.all(gotA, SctpEvent.MessageReceived.class).get(0).data()).isEqualTo(Messages.make(2, 3000));
        assertThat(a.stats().dropsChecksum() + b.stats().dropsChecksum()).isZero();
    }

    @Test
    void aPeerThatDropsTheInitIsReachedByTheFallbackInitAfterTheFallbackDelay() {
        SctpAssociation a = new SctpAssociation(SctpPair.config(1).build(), "A");
        PionLikePeer pion = new PionLikePeer(SctpPair.config(2), PionLikePeer.Mode.DROP);
        BackToBack net = new BackToBack(a, pion, RTT_20MS, RTT_20MS, 1);
        a.connect(net.now()); // the peer only answers, as a passive stack does
        long t = establishTime(net, a, pion.inner, Duration.ofSeconds(10));

        assertThat(pion.rejected).isEqualTo(1);
        assertThat(a.initFallbackSent()).isTrue();
        assertThat(a.zeroChecksumInUse()).isFalse();
        // 100 ms fallback delay, then INIT / INIT ACK / COOKIE ECHO / COOKIE ACK: two round trips of 20 ms
        assertThat(Duration.ofNanos(t)).isBetween(Duration.ofMillis(140), Duration.ofMillis(141));
        exchange(net, a, pion.inner);
    }

    @Test
    void aPeerThatAbortsTheInitIsReachedAtOnceWithoutWaitingForTheFallbackDelay() {
        SctpAssociation a = new SctpAssociation(SctpPair.config(1).build(), "A");
        PionLikePeer strict = new PionLikePeer(SctpPair.config(2), PionLikePeer.Mode.ABORT);
        BackToBack net = new BackToBack(a, strict, RTT_20MS, RTT_20MS, 1);
        a.connect(net.now());
        long t = establishTime(net, a, strict.inner, Duration.ofSeconds(10));

        assertThat(strict.rejected).isEqualTo(1);
        assertThat(a.initFallbackSent()).isTrue();
        assertThat(a.isTerminated()).isFalse();
        // ABORT back after one round trip, then two more round trips of handshake
        assertThat(Duration.ofNanos(t)).isBetween(Duration.ofMillis(60), Duration.ofMillis(61));
        exchange(net, a, strict.inner);
    }

    @Test
    void whenBothSidesConnectThePeersInitIsAnsweredWithAnInitAckItCanParse() {
        SctpAssociation a = new SctpAssociation(SctpPair.config(1).build(), "A");
        PionLikePeer pion = new PionLikePeer(SctpPair.config(2), PionLikePeer.Mode.DROP);
        List<Integer> initAckParamTypesToPion = new ArrayList<>();
        BackToBack net = new BackToBack(a, pion, RTT_20MS, RTT_20MS, 1).withListener((now, d, i, p) -> {
            if (d == BackToBack.Direction.A_TO_B && (p.get(12) & 0xFF) == ChunkTypes.INIT_ACK) {
                initAckParamTypesToPion.add(PionLikePeer.hasUnknownInitParameter(p) ? 1 : 0);
            }
        });
        a.connect(net.now());
        pion.inner.connect(net.now()); // WebRTC: both ends send INIT
        long t = establishTime(net, a, pion.inner, Duration.ofSeconds(10));

        assertThat(initAckParamTypesToPion).containsOnly(0).isNotEmpty();
        assertThat(pion.rejected).isEqualTo(1); // only our first INIT
        assertThat(a.initFallbackSent()).isFalse();
        // The peer's INIT arrives at 10 ms, our INIT ACK at 20 ms, its COOKIE ECHO at 30 ms, our COOKIE ACK at 40 ms.
        assertThat(Duration.ofNanos(t)).isLessThanOrEqualTo(Duration.ofMillis(41));
        exchange(net, a, pion.inner);
    }

    @Test
    void aPeerThatAcceptsZeroChecksumsKeepsThemEvenWhenTheFallbackInitWentOutFirst() {
        // RTT 400 ms: the fallback INIT leaves at 100 ms, before the answer to the first INIT can be back.
        NetemConfig slow = NetemConfig.perfect().withDelay(Duration.ofMillis(200));
        SctpAssociation a = new SctpAssociation(SctpPair.config(1).build(), "A");
        SctpAssociation b = new SctpAssociation(SctpPair.config(2).build(), "B");
        int[] initsFromA = new int[1];
        BackToBack net = new BackToBack(a, b, slow, slow, 1).withListener((now, d, i, p) -> {
            if (d == BackToBack.Direction.A_TO_B && (p.get(12) & 0xFF) == ChunkTypes.INIT) {
                initsFromA[0]++;
            }
        });
        a.connect(net.now());
        establishTime(net, a, b, Duration.ofSeconds(10));

        assertThat(initsFromA[0]).isEqualTo(2);
        assertThat(a.initFallbackSent()).isTrue();
        assertThat(a.zeroChecksumInUse()).isTrue();
        assertThat(b.zeroChecksumInUse()).isTrue();
        exchange(net, a, b);
    }

    @Test
    void aPeerThatAcceptsZeroChecksumsOnAShortPathSeesOneInitAndKeepsThem() {
        SctpAssociation a = new SctpAssociation(SctpPair.config(1).build(), "A");
        SctpAssociation b = new SctpAssociation(SctpPair.config(2).build(), "B");
        int[] inits = new int[1];
        BackToBack net = new BackToBack(a, b, RTT_20MS, RTT_20MS, 1).withListener((now, d, i, p) -> {
            if ((p.get(12) & 0xFF) == ChunkTypes.INIT) {
                inits[0]++;
            }
        });
        a.connect(net.now());
        b.connect(net.now());
        establishTime(net, a, b, Duration.ofSeconds(10));
        net.runFor(Duration.ofSeconds(1));

        assertThat(inits[0]).isEqualTo(2); // one from each side, no fallback
        assertThat(a.initFallbackSent()).isFalse();
        assertThat(b.initFallbackSent()).isFalse();
        assertThat(a.zeroChecksumInUse()).isTrue();
        assertThat(b.zeroChecksumInUse()).isTrue();
    }

    @Test
    void withTheFallbackOffAPeerThatDropsTheInitIsNeverReached() {
        SctpAssociation a = new SctpAssociation(SctpPair.config(1).initFallbackDelay(null).maxInitRetransmits(2).build(), "A");
        PionLikePeer pion = new PionLikePeer(SctpPair.config(2), PionLikePeer.Mode.DROP);
        BackToBack net = new BackToBack(a, pion, RTT_20MS, RTT_20MS, 1);
        a.connect(net.now());
        assertThat(net.runUntil(a::isTerminated, Duration.ofSeconds(30))).isTrue();

        assertThat(pion.rejected).isEqualTo(3); // the INIT and its two retransmissions
        assertThat(a.initFallbackSent()).isFalse();
        Optional<SctpEvent> e = a.pollEvent();
        assertThat(e).get().isInstanceOfSatisfying(SctpEvent.Aborted.class, ab -> assertThat(ab.kind()).isEqualTo(ErrorKind.TIMEOUT));
        assertThat(pion.inner.state()).isEqualTo(SctpState.CLOSED);
    }

    @Test
    void aPeerThatAbortsEveryInitEndsTheAssociationAfterTheFallbackInit() {
        SctpAssociation a = new SctpAssociation(SctpPair.config(1).build(), "A");
        // a peer that rejects even the fallback INIT: every INIT is answered with an ABORT
        AbortEveryInit wall = new AbortEveryInit(new PionLikePeer(SctpPair.config(2), PionLikePeer.Mode.ABORT));
        BackToBack net = new BackToBack(a, wall, RTT_20MS, RTT_20MS, 1);
        a.connect(net.now());
        assertThat(net.runUntil(a::isTerminated, Duration.ofSeconds(5))).isTrue();

        assertThat(a.initFallbackSent()).isTrue();
        assertThat(Duration.ofNanos(net.now())).isLessThanOrEqualTo(Duration.ofMillis(41)); // two ABORTs, two round trips
        assertThat(a.pollEvent()).get().isInstanceOfSatisfying(SctpEvent.Aborted.class,
                ab -> assertThat(ab.kind()).isEqualTo(ErrorKind.PEER_ABORTED));
    }

    /** Answers every INIT with an ABORT, whatever its parameters. */
    private static final class AbortEveryInit extends InjectingCore {

        AbortEveryInit(PionLikePeer inner) {
            super(inner);
        }

        @Override
        public void handleInput(long nowNanos, ByteBuffer datagram) {
            if ((datagram.get(datagram.position() + 12) & 0xFF) == ChunkTypes.INIT) {
                long initiateTag = datagram.getInt(datagram.position() + 16) & 0xFFFF_FFFFL;
                inject(new SctpPacket(5000, 5000, initiateTag, List.of(new AbortChunk(false, List.of()))).encode(false));
                return;
            }
            passOn(nowNanos, datagram);
        }
    }
}
