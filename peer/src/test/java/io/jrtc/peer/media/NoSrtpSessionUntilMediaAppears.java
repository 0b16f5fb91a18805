package io.jrtc.peer.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.common.SrtpProfile;
import io.jrtc.testkit.BackToBack;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A connection without media (data channels only) keeps its DTLS-exported SRTP keys but makes no SRTP session; the
 * session is made when media appears, by a transceiver on either side after renegotiation, and nothing sent is lost.
 */
class NoSrtpSessionUntilMediaAppears {

    @Test
    void keysAreKeptWithoutASessionThenMediaAddedLaterFlows() {
        EnginePair p = new EnginePair(61); // no m-section yet: nothing to negotiate
        p.connect(SrtpProfile.AEAD_AES_128_GCM, NetemConfig.perfect(), NetemConfig.perfect(), 3);
        assertThat(p.a.hasKeys()).isTrue();
        assertThat(p.b.hasKeys()).isTrue();
        assertThat(p.a.srtpCipher()).isEqualTo("AEAD_AES_128_GCM");
        assertThat(p.a.hasSrtpSession()).isFalse();
        assertThat(p.b.hasSrtpSession()).isFalse();
        p.link.runFor(Duration.ofSeconds(10));
        assertThat(p.a.hasSrtpSession()).isFalse(); // no RTCP either: nothing to report on
        assertThat(p.link.transmitted(BackToBack.Direction.A_TO_B) + p.link.transmitted(BackToBack.Direction.B_TO_A)).isZero();

        // media added by renegotiation: A's transceiver makes A's session, the one B's offer handling creates makes B's
        p.a.addTrack(MediaKind.AUDIO, TrackInit.DEFAULT);
        assertThat(p.a.hasSrtpSession()).isTrue();
        p.negotiate(() -> { });
        assertThat(p.b.hasSrtpSession()).isTrue();
        List<Long> got = new ArrayList<>();
        p.transceiverB(MediaKind.AUDIO).receiver().onRtp(e -> got.add(e.timestamp()));
        RtpSender s = p.transceiverA(MediaKind.AUDIO).sender();
        for (int i = 0; i < 50; i++) {
            s.sendRtp("opus", 960L * i, false, ByteBuffer.wrap(SyntheticMedia.opus(i, 30)));
            p.link.runFor(Duration.ofMillis(20));
        }
        assertThat(got).hasSize(50);
        assertThat(got.get(49)).isEqualTo(960L * 49);
    }

    @Test
    void aFirstSrtpPacketMakesTheSession() {
        EnginePair p = new EnginePair(62);
        p.connect(SrtpProfile.AES_CM_128_HMAC_SHA1_80, NetemConfig.perfect(), NetemConfig.perfect(), 4);
        assertThat(p.b.hasSrtpSession()).isFalse();
        // an RTP-shaped packet (version 2, payload type 111) that does not authenticate: the session is made to read it
        byte[] forged = new byte[60];
        forged[0] = (byte) 0x80;
        forged[1] = 111;
        p.b.handleInput(p.clock.now(), ByteBuffer.wrap(forged));
        assertThat(p.b.hasSrtpSession()).isTrue();
        assertThat(p.b.stats(p.clock.now()).droppedBeforeKeys()).isZero();
    }
}
