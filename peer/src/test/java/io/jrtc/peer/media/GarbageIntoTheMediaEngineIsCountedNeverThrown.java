package io.jrtc.peer.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.peer.internal.media.MediaStatsSnapshot;
import io.jrtc.common.SrtpProfile;
import io.jrtc.srtp.SrtpSession;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Fuzz-style: tens of thousands of random, truncated and mutated datagrams into a connected engine. Some are
 * plain garbage (SRTP refuses them), the rest are properly encrypted with the remote's keys, so the RTP/RTCP parsers,
 * the BUNDLE router and the feedback handlers behind SRTP see arbitrary headers, CSRC counts, extensions, padding
 * and RTCP compounds. Nothing may throw, and genuine media must still flow afterwards.
 */
class GarbageIntoTheMediaEngineIsCountedNeverThrown {

    @Test
    void randomAndMutatedDatagrams() {
        long seed = Long.getLong("media.fuzz.seed", 20261122L);
        SplittableRandom r = new SplittableRandom(seed);
        EnginePair p = new EnginePair(41);
        p.a.addTrack(MediaKind.AUDIO, TrackInit.DEFAULT);
        p.a.addTrack(MediaKind.VIDEO, TrackInit.DEFAULT);
        p.negotiate(() -> { });
        p.connect(SrtpProfile.AEAD_AES_128_GCM, NetemConfig.perfect(), NetemConfig.perfect(), 2);
        int[] delivered = {0};
        p.transceiverB(MediaKind.VIDEO).receiver().onRtp(e -> delivered[0]++);
        p.transceiverB(MediaKind.AUDIO).receiver().onRtp(e -> delivered[0]++);
        p.transceiverB(MediaKind.VIDEO).receiver().onRtcp(x -> { });
        // A forger holding A's keys: what it protects authenticates at B.
        SrtpSession forger = SrtpSession.create(p.keysA);
        long videoSsrc = p.transceiverA(MediaKind.VIDEO).sender().ssrc();
        long bSender = p.transceiverB(MediaKind.VIDEO).sender().ssrc();
        long now = p.clock.now();
        int protectedRtp = 0;
        int protectedRtcp = 0;
        for (int i = 0; i < 30_000; i++) {
            int kind = r.nextInt(4);
            byte[] b = new byte[r.nextInt(1, 1300) + SrtpSession.MAX_TRAILER_LENGTH];
            int len = b.length - SrtpSession.MAX_TRAILER_LENGTH;
            r.nextBytes(b);
            if (kind == 0) {
                // Raw garbage, but in the RTP/RTCP first-byte range.
                b[0] = (byte) (0x80 | (b[0] & 0x3F));
                p.b.handleInput(now, ByteBuffer.wrap(b, 0, r.nextInt(0, len + 1)));
                continue;
            }
            if (kind == 1 || kind == 2) {
                // RTP with a random header (CC, X, P), SSRC often a known one, payload type often a known one.
                // Mostly plausible headers (the forger, like a sender, refuses to protect a header that overruns the
                // packet), a few wild ones; SSRCs from a small set (the forger keeps at most 64 contexts).
                b[0] = (byte) (0x80 | (b[0] & 0x2F) | (r.nextInt(4) == 0 ? 0x10 : 0));
                if (r.nextInt(3) > 0) {
                    b[0] = (byte) (b[0] & 0xF0 | r.nextInt(3));
                }
                b[1] = (byte) (r.nextBoolean() ? (b[1] & 0x80) | (r.nextBoolean() ? 96 : 97) : b[1] & 0xBF);
                putInt(b, 8, kind == 1 ? videoSsrc : 1000 + r.nextInt(40));
                int n = forger.protectRtp(b, 0, len);
                if (n >= 0) {
                    protectedRtp++;
                    p.b.handleInput(now, ByteBuffer.wrap(b, 0, r.nextInt(10) == 0 ? r.nextInt(0, n + 1) : n));
                }
                continue;
            }
            // RTCP: a random compound of 1-3 packets with plausible headers and random bodies.
            int pos = 0;
            int packets = r.nextInt(1, 4);
            for (int k = 0; k < packets && pos + 8 <= len; k++) {
                int words = r.nextInt(1, Math.max(2, (len - pos) / 4));
                int type = 200 + r.nextInt(8);
                b[pos] = (byte) (0x80 | (r.nextInt(4) == 0 ? 0x20 : 0) | r.nextInt(32));
                b[pos + 1] = (byte) type;
                b[pos + 2] = (byte) ((words - 1) >>> 8);
                b[pos + 3] = (byte) (words - 1);
                if (r.nextBoolean() && pos + 12 <= len) {
                    putInt(b, pos + 8, r.nextBoolean() ? bSender : videoSsrc);
                }
                pos += 4 * words;
            }
            putInt(b, 4, 2000 + r.nextInt(40));
            int rlen = Math.min(pos, len);
            if (rlen >= 8) {
                int n = forger.protectRtcp(b, 0, rlen);
                if (n >= 0) {
                    protectedRtcp++;
                    p.b.handleInput(now, ByteBuffer.wrap(b, 0, n));
                }
            }
            if (i % 1000 == 0) {
                p.b.handleTimeout(p.clock.now());
                while (p.b.pollTransmitOrNull() != null) {
                    // drop what B answers
                }
            }
        }
        assertThat(protectedRtp).isGreaterThan(4_000);
        assertThat(protectedRtcp).isGreaterThan(3_000);
        MediaStatsSnapshot s = p.b.stats(p.clock.now());
        assertThat(s.srtpInboundDropped()).isPositive();
        assertThat(s.rtcpMalformed() + s.unroutable()).isPositive();

        // Genuine media still flows.
        int before = delivered[0];
        RtpSender audio = p.transceiverA(MediaKind.AUDIO).sender();
        for (int i = 0; i < 20; i++) {
            audio.sendRtp("opus", 100_000L + 960L * i, false, ByteBuffer.wrap(SyntheticMedia.opus(i, 40)));
        }
        p.link.runFor(Duration.ofMillis(20));
        assertThat(delivered[0] - before).isEqualTo(20);
    }

    private static void putInt(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
