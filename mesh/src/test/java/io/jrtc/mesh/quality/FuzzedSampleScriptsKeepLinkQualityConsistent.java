package io.jrtc.mesh.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.common.DatagramCore;
import io.jrtc.common.ParseException;
import io.jrtc.mesh.AgentId;
import io.jrtc.mesh.internal.wire.Frame;
import io.jrtc.mesh.internal.wire.PingFrame;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Jazzer target for {@link LinkQuality}: the input is a script of RTT samples, counter reports (restarts included),
 * PONGs answered late or never, arbitrary control messages and time passing. Invariants: nothing throws; only
 * well-formed PONGs are consumed; a handled timeout is never due again at once; each mode change is real, follows
 * the previous one, and comes at least K evaluations after it (K of its direction); the figures stay in range.
 */
class FuzzedSampleScriptsKeepLinkQualityConsistent {

    private static final long MS = 1_000_000L;

    static final class Run {
        final QualityConfig config;
        final LinkQuality q;
        final ArrayDeque<byte[]> pings = new ArrayDeque<>();
        long now;
        long packets;
        long lost;
        long bytes;
        LinkMode last;
        long lastChangeEvaluation;
        int changes;

        Run(int k) {
            QualityConfig c = QualityConfig.defaults().withHysteresis(1 + k % 3, 1 + (k / 3) % 3);
            config = (k & 0x10) != 0 ? c.withInitialMode(LinkMode.HIGH) : c;
            q = new LinkQuality(config, 1, new AgentId(1, 2), 0);
            last = config.initialMode();
        }

        void play(byte[] script) throws ParseException {
            int i = 0;
            while (i + 1 < script.length && i < 600) {
                int op = script[i++] & 0xff;
                int arg = script[i++] & 0xff;
                switch (op % 7) {
                    case 0 -> q.rttSample(now, arg * 5 * MS - 5 * MS);
                    case 1 -> {
                        if (arg == 0) {
                            packets = lost = bytes = 0; // a rebuilt connection
                        } else {
                            packets += arg;
                            lost += arg % 5 == 0 ? arg / 5 : 0;
                            bytes += arg * 1000L;
                        }
                        q.counters(now, packets, lost, bytes, bytes / 2);
                    }
                    case 2 -> {
                        byte[] ping = pings.poll();
                        if (ping != null) {
                            now += arg * 10 * MS;
                            PingFrame p = (PingFrame) Frame.parse(ByteBuffer.wrap(ping));
                            assertThat(q.handleInput(now, ByteBuffer.wrap(p.answer().toBytes()))).isTrue();
                        }
                    }
                    case 3 -> {
                        byte[] junk = Arrays.copyOfRange(script, i, Math.min(script.length, i + arg % 16));
                        boolean pong = junk.length == 13 && (junk[0] & 0xff) == Frame.PONG;
                        assertThat(q.handleInput(now, ByteBuffer.wrap(junk))).isEqualTo(pong);
                    }
                    case 4 -> {
                        now += arg * 20 * MS;
                        timeout();
                    }
                    case 5 -> {
                        now = Math.max(now, q.pollTimeout());
                        timeout();
                    }
                    default -> pings.clear(); // the far end never answers these
                }
                collect();
            }
        }

        private void timeout() {
            q.handleTimeout(now);
            long t = q.pollTimeout();
            assertThat(t == DatagramCore.NO_TIMEOUT || t > now).as("due again at once").isTrue();
        }

        private void collect() {
            for (byte[] b = q.pollTransmit(); b != null; b = q.pollTransmit()) {
                assertThat(b).hasSize(PingFrame.LENGTH);
                pings.add(b);
            }
            LinkQuality.Snapshot s = q.snapshot();
            for (LinkQuality.ModeChange c = q.pollEvent(); c != null; c = q.pollEvent()) {
                assertThat(c.from()).isEqualTo(last).isNotEqualTo(c.to());
                long evaluations = s.evaluations() - lastChangeEvaluation;
                int k = c.to().compareTo(c.from()) < 0 ? config.downgradeAfter() : config.upgradeAfter();
                assertThat(evaluations).as("evaluations before %s", c).isGreaterThanOrEqualTo(k);
                assertThat(c.reason()).contains(c.from() + " -> " + c.to());
                last = c.to();
                lastChangeEvaluation = s.evaluations();
                changes++;
            }
            assertThat(s.mode()).isEqualTo(last);
            assertThat(s.smoothedRttNanos() == -1 || s.smoothedRttNanos() > 0).isTrue();
            assertThat(Double.isNaN(s.loss()) || (s.loss() >= 0 && s.loss() <= 1)).isTrue();
            assertThat(s.sendBitsPerSecond()).isGreaterThanOrEqualTo(0);
            assertThat(s.pingsLost()).isLessThanOrEqualTo(s.pingsSent());
        }
    }

    @FuzzTest(maxDuration = "30s")
    void script(byte[] input) throws ParseException {
        if (input.length < 1) {
            return;
        }
        new Run(input[0] & 0xff).play(Arrays.copyOfRange(input, 1, input.length));
    }

    /** Regression mode without Jazzer's mutator: seeded random scripts that change modes many times. */
    @Test
    void randomScriptsKeepTheInvariants() throws ParseException {
        SplittableRandom random = new SplittableRandom(0x9A1);
        int changes = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] script = new byte[random.nextInt(2, 400)];
            random.nextBytes(script);
            Run run = new Run(random.nextInt(256));
            run.play(script);
            changes += run.changes;
        }
        assertThat(changes).isGreaterThan(500);
    }
}
