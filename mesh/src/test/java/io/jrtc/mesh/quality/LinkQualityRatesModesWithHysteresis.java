package io.jrtc.mesh.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.ParseException;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.internal.wire.Frame;
import io.jrtc.mesh.internal.wire.JoinFrame;
import io.jrtc.mesh.internal.wire.PingFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A link-quality tracker on a virtual clock: its PINGs are answered after a chosen RTT (or never), and its mode
 * follows the documented thresholds only after K consecutive evaluations, with stricter thresholds to go up.
 */
class LinkQualityRatesModesWithHysteresis {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final AgentId REMOTE = AgentId.parse("00112233445566778899aabbccddeeff");

    /** The tracker and its far end: PINGs come back as PONGs after {@code rtt} (never when negative). */
    private static final class Driver {
        final LinkQuality q;
        final TreeMap<Long, byte[]> pongs = new TreeMap<>();
        final List<LinkQuality.ModeChange> changes = new ArrayList<>();
        long now;
        long rtt = 50 * MS;
        int pings;

        Driver(QualityConfig c) {
            q = new LinkQuality(c, 7, REMOTE, 0);
        }

        void runUntil(long until) throws ParseException {
            while (true) {
                long t = Math.min(q.pollTimeout(), pongs.isEmpty() ? Long.MAX_VALUE : pongs.firstKey());
                if (t > until) {
                    break;
                }
                now = t;
                if (!pongs.isEmpty() && pongs.firstKey() == t) {
                    assertThat(q.handleInput(t, ByteBuffer.wrap(pongs.pollFirstEntry().getValue()))).isTrue();
                } else {
                    q.handleTimeout(t);
                }
                for (byte[] b = q.pollTransmit(); b != null; b = q.pollTransmit()) {
                    PingFrame ping = (PingFrame) Frame.parse(ByteBuffer.wrap(b));
                    pings++;
                    if (rtt >= 0) {
                        pongs.put(now + rtt, ping.answer().toBytes());
                    }
                }
                for (var e = q.pollEvent(); e != null; e = q.pollEvent()) {
                    changes.add(e);
                }
            }
            now = until;
        }
    }

    /** RTT gain 1: the smoothed RTT is the last sample, so each evaluation sees exactly the RTT set for it. */
    private static QualityConfig exact() {
        QualityConfig d = QualityConfig.defaults();
        return new QualityConfig(d.intervalNanos(), d.pingIntervalNanos(), d.pingTimeoutNanos(), d.downgradeAfter(),
                d.upgradeAfter(), d.highEnter(), d.highExit(), d.lowExit(), d.lowEnter(), d.minLossSamples(), 1.0,
                d.initialMode());
    }

    @Test
    void pingsEveryIntervalAndSmoothsTheRtt() throws ParseException {
        Driver d = new Driver(QualityConfig.defaults());
        assertThat(d.q.pollTimeout()).isZero();
        d.rtt = 80 * MS;
        d.runUntil(S);
        assertThat(d.pings).isEqualTo(1);
        assertThat(d.q.snapshot().smoothedRttNanos()).isEqualTo(80 * MS);
        d.rtt = 160 * MS;
        d.runUntil(3 * S); // second ping at 2 s, answered at 2.16 s: srtt = 80 + (160 - 80) / 8 = 90 ms
        assertThat(d.pings).isEqualTo(2);
        assertThat(d.q.snapshot().smoothedRttNanos()).isEqualTo(90 * MS);
        d.q.rttSample(d.now, 10 * MS); // from getStats: 90 + (10 - 90) / 8 = 80 ms
        assertThat(d.q.snapshot().smoothedRttNanos()).isEqualTo(80 * MS);
        assertThat(d.q.snapshot().evaluations()).isEqualTo(1);
        assertThat(d.q.pollTimeout()).isEqualTo(4 * S);
    }

    @Test
    void upgradesOnlyAfterThreeGoodEvaluationsAndDowngradesAfterTwo() throws ParseException {
        Driver d = new Driver(exact());
        d.rtt = 50 * MS;
        d.runUntil(4 * S + 1); // evaluations at 2 s and 4 s: good, but only two of the three needed
        assertThat(d.q.mode()).isEqualTo(LinkMode.MEDIUM);
        d.runUntil(6 * S + 1);
        assertThat(d.q.mode()).isEqualTo(LinkMode.HIGH);
        assertThat(d.changes).singleElement().satisfies(c -> {
            assertThat(c.from()).isEqualTo(LinkMode.MEDIUM);
            assertThat(c.to()).isEqualTo(LinkMode.HIGH);
            assertThat(c.atNanos()).isEqualTo(6 * S);
            assertThat(c.linkId()).isEqualTo(7);
            assertThat(c.remote()).isEqualTo(REMOTE);
            assertThat(c.reason()).contains("MEDIUM -> HIGH", "srtt 50.0 ms", "within rtt 150 ms", "3 consecutive");
        });
        // Over HIGH's exit (250 ms), under LOW's entry (600 ms), from the PING at 8 s: the evaluations at 10 s and
        // 12 s see it.
        d.rtt = 300 * MS;
        d.runUntil(10 * S + 1);
        assertThat(d.q.mode()).isEqualTo(LinkMode.HIGH);
        d.runUntil(12 * S + 1);
        assertThat(d.q.mode()).isEqualTo(LinkMode.MEDIUM);
        assertThat(d.changes.get(1).reason()).contains("HIGH -> MEDIUM", "worse than rtt 250 ms", "2 consecutive");
    }

    @Test
    void theBandBetweenEntryAndExitKeepsWhicheverModeTheLinkHas() throws ParseException {
        Driver fromMedium = new Driver(exact());
        fromMedium.rtt = 200 * MS; // above HIGH's entry (150), below its exit (250)
        fromMedium.runUntil(20 * S);
        assertThat(fromMedium.q.mode()).isEqualTo(LinkMode.MEDIUM);
        Driver fromHigh = new Driver(exact().withInitialMode(LinkMode.HIGH));
        fromHigh.rtt = 200 * MS;
        fromHigh.runUntil(20 * S);
        assertThat(fromHigh.q.mode()).isEqualTo(LinkMode.HIGH);
        Driver fromLow = new Driver(exact().withInitialMode(LinkMode.LOW));
        fromLow.rtt = 500 * MS; // above LOW's exit (400), below its entry (600)
        fromLow.runUntil(20 * S);
        assertThat(fromLow.q.mode()).isEqualTo(LinkMode.LOW);
        assertThat(fromMedium.changes).isEmpty();
        assertThat(fromHigh.changes).isEmpty();
        assertThat(fromLow.changes).isEmpty();
    }

    @Test
    void aFlappingLinkNeverChangesMode() throws ParseException {
        Driver d = new Driver(exact().withInitialMode(LinkMode.HIGH));
        for (int i = 0; i < 10; i++) {
            d.rtt = i % 2 == 0 ? 700 * MS : 40 * MS; // LOW-bad, then good, evaluation after evaluation
            d.runUntil((2L * i + 1) * S + S / 2);
        }
        assertThat(d.q.mode()).isEqualTo(LinkMode.HIGH);
        assertThat(d.changes).isEmpty();
        assertThat(d.q.snapshot().evaluations()).isEqualTo(9);
    }

    @Test
    void aStreakMovesOnlyAsFarAsEveryEvaluationAgreed() throws ParseException {
        Driver d = new Driver(exact().withInitialMode(LinkMode.HIGH));
        d.rtt = 700 * MS; // the PING at 0 s: the evaluation at 2 s calls for LOW
        d.runUntil(S);
        d.rtt = 300 * MS; // the PING at 2 s: the evaluation at 4 s calls for MEDIUM only
        d.runUntil(4 * S + 1);
        assertThat(d.q.mode()).isEqualTo(LinkMode.MEDIUM);
    }

    @Test
    void lossOverTheWindowRatesTheLinkOnceThereAreEnoughSamples() throws ParseException {
        Driver d = new Driver(exact().withInitialMode(LinkMode.HIGH));
        d.q.counters(0, 1000, 10, 0, 0);
        d.runUntil(S);
        d.q.counters(d.now, 1010, 15, 250_000, 500_000); // 11 samples with the ping: too few, loss unknown
        d.runUntil(2 * S + 1);
        assertThat(d.q.snapshot().loss()).isNaN();
        assertThat(d.q.snapshot().sendBitsPerSecond()).isEqualTo(1_000_000.0);
        assertThat(d.q.snapshot().receiveBitsPerSecond()).isEqualTo(2_000_000.0);
        d.q.counters(d.now, 1109, 35, 250_000, 500_000); // 99 packets + 1 ping, 20 lost: 20%
        d.runUntil(4 * S + 1);
        assertThat(d.q.snapshot().loss()).isEqualTo(0.2);
        d.q.counters(d.now, 1208, 55, 250_000, 500_000);
        d.runUntil(6 * S + 1);
        assertThat(d.q.mode()).isEqualTo(LinkMode.LOW);
        assertThat(d.changes.getLast().reason()).contains("HIGH -> LOW", "loss 20.0%", "worse than rtt 600 ms, loss 10.0%");
        d.q.counters(d.now, 10, 0, 0, 0); // a rebuilt connection: counters restart, no negative delta
        d.runUntil(8 * S + 1);
        assertThat(d.q.snapshot().loss()).isNaN();
    }

    @Test
    void unansweredPingsCountAsLostAndSlowUntilTheLinkIsLow() throws ParseException {
        Driver d = new Driver(exact());
        d.rtt = -1;
        d.runUntil(3 * S - 1);
        assertThat(d.q.snapshot().pingsLost()).isZero();
        d.runUntil(3 * S);
        assertThat(d.q.snapshot().pingsLost()).isEqualTo(1);
        assertThat(d.q.snapshot().smoothedRttNanos()).isEqualTo(3 * S);
        d.runUntil(6 * S + 1);
        assertThat(d.q.mode()).isEqualTo(LinkMode.LOW);
        assertThat(d.changes).singleElement().satisfies(c -> assertThat(c.to()).isEqualTo(LinkMode.LOW));
        d.rtt = 30 * MS; // the link recovers: LOW -> HIGH needs three good evaluations in a row
        d.runUntil(16 * S + 1);
        assertThat(d.q.mode()).isEqualTo(LinkMode.HIGH);
        assertThat(d.changes.getLast().from()).isEqualTo(LinkMode.LOW);
    }

    @Test
    void onlyPongsAreConsumed() {
        LinkQuality q = new LinkQuality(QualityConfig.defaults(), 1, REMOTE, 0);
        ByteBuffer join = ByteBuffer.wrap(JoinFrame.INSTANCE.toBytes());
        assertThat(q.handleInput(0, join)).isFalse();
        assertThat(join.remaining()).isEqualTo(1);
        ByteBuffer ping = ByteBuffer.wrap(new PingFrame(1, 2).toBytes());
        assertThat(q.handleInput(0, ping)).isFalse();
        assertThat(ping.remaining()).isEqualTo(PingFrame.LENGTH);
        ByteBuffer strayPong = ByteBuffer.wrap(new PingFrame(9, 9).answer().toBytes());
        assertThat(q.handleInput(0, strayPong)).isTrue();
        assertThat(strayPong.hasRemaining()).isFalse();
        assertThat(q.snapshot().smoothedRttNanos()).isEqualTo(-1);
    }
}
