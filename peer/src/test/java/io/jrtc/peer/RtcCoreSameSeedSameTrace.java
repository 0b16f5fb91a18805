package io.jrtc.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.dtls.DtlsConfig;
import io.jrtc.dtls.HandshakeThreads;
import io.jrtc.testkit.NetemConfig;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Determinism: the same seed gives the same trace digest (every datagram's virtual time and direction, STUN whole,
 * DTLS record types and application-data lengths: see {@link RtcPair}), over set-up, an ICE and DTLS handshake and
 * 200 messages through links that delay with jitter, reorder and duplicate, and lose 5% of the application data (a
 * seeded filter; the handshakes are not dropped, as BouncyCastle retransmits on the real clock). A different seed gives
 * a different digest.
 */
class RtcCoreSameSeedSameTrace {

    @Test
    void sameSeedSameDigestOtherSeedOtherDigest() {
        run(7); // warm-up: the JVM's first handshake is slow
        Run first = run(7);
        Run second = run(7);
        Run other = run(8);
        assertThat(first.delivered).isEqualTo(200);
        assertThat(second.delivered).isEqualTo(200);
        assertThat(first.datagrams).isGreaterThan(200);
        for (int i = 0; i < Math.min(first.lines.size(), second.lines.size()); i++) {
            if (!first.lines.get(i).equals(second.lines.get(i))) {
                assertThat(second.lines.subList(i, Math.min(i + 5, second.lines.size())))
                        .as("the runs part at datagram %d", i)
                        .isEqualTo(first.lines.subList(i, Math.min(i + 5, first.lines.size())));
            }
        }
        assertThat(second.digest).isEqualTo(first.digest);
        assertThat(second.datagrams).isEqualTo(first.datagrams);
        assertThat(second.endNanos).isEqualTo(first.endNanos);
        assertThat(other.digest).isNotEqualTo(first.digest);
    }

    /**
     * BouncyCastle's retransmission timer runs on the real clock: 5 s never expires during a lossless handshake, which
     * takes milliseconds of real time here (the default 100 ms did once, in a cold JVM, and retransmitted a flight).
     */
    private static final DtlsConfig DTLS = DtlsConfig.builder().initialRetransmit(Duration.ofSeconds(5)).build();

    private record Run(String digest, int datagrams, long endNanos, int delivered, java.util.List<String> lines) {
    }

    /**
     * A run of {@code seed} in which no handshake resumption was rescued off the driver's thread (a rescue, on a loaded
     * machine, moves a flight off its virtual instant): at most 5 tries.
     */
    private static Run run(long seed) {
        for (int attempt = 0; attempt < 5; attempt++) {
            long rescued = HandshakeThreads.rescuedResumptions();
            Run r = runOnce(seed);
            if (HandshakeThreads.rescuedResumptions() == rescued) {
                return r;
            }
        }
        throw new AssertionError("every run of seed " + seed + " had a handshake resumption rescued off the driver");
    }

    private static Run runOnce(long seed) {
        NetemConfig link = NetemConfig.perfect().withDelay(Duration.ofMillis(25)).withJitter(Duration.ofMillis(10))
                .withReorder(0.05, Duration.ofMillis(20)).withDuplication(0.03);
        RtcPair pair = new RtcPair(seed, link, link, null, DTLS);
        pair.lines = new java.util.ArrayList<>();
        SplittableRandom loss = new SplittableRandom(seed ^ 0x5DEECE66DL);
        pair.withFilter((d, i, p) -> (p.get(p.position()) & 0xFF) == 23 && loss.nextDouble() < 0.05);
        if (!pair.runUntil(pair::bothConnected, Duration.ofSeconds(30))) {
            throw new AssertionError("not connected");
        }
        Traffic t = new Traffic(pair, seed);
        DataChannel ch = t.open("trace", DataChannelInit.DEFAULT);
        t.send(ch, 200);
        if (!pair.runUntil(t::allArrived, Duration.ofSeconds(120))) {
            throw new AssertionError("not all delivered");
        }
        pair.runFor(Duration.ofSeconds(5)); // consent checks, SACKs, heartbeats: all in the trace
        return new Run(pair.traceDigest(), pair.transmitted(RtcPair.Dir.A_TO_B) + pair.transmitted(RtcPair.Dir.B_TO_A),
                pair.now(), t.receivedCount("trace"), pair.lines);
    }
}
