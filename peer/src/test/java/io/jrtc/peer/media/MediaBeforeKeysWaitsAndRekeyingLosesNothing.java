package io.jrtc.peer.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.peer.internal.media.MediaEngine;
import io.jrtc.srtp.SrtpKeys;
import io.jrtc.common.SrtpProfile;
import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Two races around keys. (1) The remote finishes DTLS first and starts sending before our keys exist: the packets
 * wait (up to {@link MediaEngine#MAX_EARLY_PACKETS}) and are delivered when the keys arrive. (2) A DTLS re-handshake
 * gives new keys while packets protected with the old ones are still in flight: both sides re-key at different
 * moments, and not one packet is lost.
 */
class MediaBeforeKeysWaitsAndRekeyingLosesNothing {

    private static SrtpKeys keys(SrtpProfile profile, long seed, boolean client) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] m = new byte[profile.keyingMaterialLength()];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) r.nextInt();
        }
        return SrtpKeys.fromDtlsKeyingMaterial(profile, m, client);
    }

    @Test
    void packetsBeforeKeysAreDeliveredWhenKeysArrive() {
        EnginePair p = new EnginePair(51);
        p.a.addTrack(MediaKind.AUDIO, TrackInit.DEFAULT);
        p.negotiate(() -> { });
        p.a.startSrtp(p.clock.now(), keys(SrtpProfile.AEAD_AES_128_GCM, 9, true));
        p.link = new BackToBack(p.a, p.b, NetemConfig.perfect(), NetemConfig.perfect(), 1, p.clock);
        List<Long> got = new ArrayList<>();
        p.transceiverB(MediaKind.AUDIO).receiver().onRtp(e -> got.add(e.timestamp()));
        RtpSender s = p.transceiverA(MediaKind.AUDIO).sender();
        for (int i = 0; i < MediaEngine.MAX_EARLY_PACKETS + 10; i++) {
            s.sendRtp("opus", 960L * i, false, ByteBuffer.wrap(SyntheticMedia.opus(i, 30)));
        }
        p.link.runFor(Duration.ofMillis(5));
        assertThat(got).isEmpty();
        p.b.startSrtp(p.clock.now(), keys(SrtpProfile.AEAD_AES_128_GCM, 9, false));
        assertThat(got).hasSize(MediaEngine.MAX_EARLY_PACKETS);
        assertThat(got.get(0)).isZero();
        assertThat(p.b.stats(p.clock.now()).droppedBeforeKeys()).isEqualTo(10);
    }

    @Test
    void reKeyingMidStreamLosesNoPacket() {
        EnginePair p = new EnginePair(52);
        p.a.addTrack(MediaKind.VIDEO, TrackInit.DEFAULT);
        p.negotiate(() -> { });
        p.connect(SrtpProfile.AES_CM_128_HMAC_SHA1_80, NetemConfig.perfect().withDelay(Duration.ofMillis(40)),
                NetemConfig.perfect().withDelay(Duration.ofMillis(40)), 4);
        List<Long> got = new ArrayList<>();
        p.transceiverB(MediaKind.VIDEO).receiver().onRtp(e -> got.add(e.timestamp()));
        RtpSender s = p.transceiverA(MediaKind.VIDEO).sender();
        for (int i = 0; i < 200; i++) {
            if (i == 100) {
                // A finishes the new handshake first; B 20 ms later. Packets protected with the old keys are in flight.
                p.a.startSrtp(p.clock.now(), keys(SrtpProfile.AEAD_AES_128_GCM, 77, true));
            }
            if (i == 102) {
                p.b.startSrtp(p.clock.now(), keys(SrtpProfile.AEAD_AES_128_GCM, 77, false));
            }
            s.sendRtp("VP8", 3000L * i, true, ByteBuffer.wrap(SyntheticMedia.vp8Frame(i, i % 30 == 0, 1, 500).get(0)));
            p.link.runFor(Duration.ofMillis(10));
        }
        p.link.runFor(Duration.ofMillis(200));
        assertThat(got).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(got.get(i)).isEqualTo(3000L * i);
        }
        assertThat(p.b.stats(p.clock.now()).srtpInboundDropped()).isZero();
        assertThat(p.b.srtpCipher()).isEqualTo("AEAD_AES_128_GCM");
    }
}
