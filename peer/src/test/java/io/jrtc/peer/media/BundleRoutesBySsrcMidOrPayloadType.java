package io.jrtc.peer.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.peer.internal.media.MediaStatsSnapshot;
import io.jrtc.peer.internal.media.Sender;
import io.jrtc.sdp.SessionDescription;
import io.jrtc.common.SrtpProfile;
import io.jrtc.testkit.NetemConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * BUNDLE demultiplexing (RFC 9143 section 9.2, RFC 8843): packets reach the right transceiver when the offer signals
 * SSRCs, when it does not (the mid header extension decides), and when neither is available (the payload type
 * decides, as long as only one transceiver uses it). RTX streams find their media stream the same way, so NACK
 * repairs still land. An ambiguous packet is counted, not guessed.
 */
class BundleRoutesBySsrcMidOrPayloadType {

    static UnaryOperator<SessionDescription> without(String... prefixes) {
        return sdp -> {
            String text = Arrays.stream(sdp.serialize().split("\r\n"))
                    .filter(l -> Arrays.stream(prefixes).noneMatch(l::startsWith))
                    .collect(Collectors.joining("\r\n", "", "\r\n"));
            try {
                return SessionDescription.parse(text);
            } catch (io.jrtc.sdp.SdpParseException e) {
                throw new AssertionError(e);
            }
        };
    }

    @ParameterizedTest(name = "routed by {0}")
    @ValueSource(strings = {"ssrc", "mid", "payload-type"})
    void audioAndVideoReachTheirReceiversAndRtxRepairs(String by) {
        EnginePair p = new EnginePair(21);
        p.a.addTrack(MediaKind.AUDIO, TrackInit.DEFAULT);
        p.a.addTrack(MediaKind.VIDEO, TrackInit.DEFAULT);
        UnaryOperator<SessionDescription> tamper = switch (by) {
            case "ssrc" -> s -> s;
            case "mid" -> without("a=ssrc:", "a=ssrc-group:");
            default -> without("a=ssrc:", "a=ssrc-group:", "a=extmap:");
        };
        p.negotiate(tamper, () -> { }, s -> s);
        p.connect(SrtpProfile.AEAD_AES_128_GCM, NetemConfig.perfect().withDelay(Duration.ofMillis(10)),
                NetemConfig.perfect().withDelay(Duration.ofMillis(10)), 5);
        int[] audio = {0};
        int[] video = {0};
        p.transceiverB(MediaKind.AUDIO).receiver().onRtp(e -> {
            assertThat(e.codec().name()).isEqualTo("opus");
            audio[0]++;
        });
        p.transceiverB(MediaKind.VIDEO).receiver().onRtp(e -> {
            assertThat(e.codec().name()).isEqualTo("VP8");
            video[0]++;
        });
        Sender v = (Sender) p.transceiverA(MediaKind.VIDEO).sender();
        SimulatedRtpLoss.of(v).onSend(v, (ssrc, seq) -> seq % 10 == 5);
        RtpSender a = p.transceiverA(MediaKind.AUDIO).sender();
        int sentVideo = 0;
        for (int i = 0; i < 100; i++) {
            a.sendRtp("opus", 960L * i, false, ByteBuffer.wrap(SyntheticMedia.opus(i, 50)));
            for (byte[] pl : SyntheticMedia.vp8Frame(i, i == 0, 2, 300)) {
                v.sendRtp("VP8", 3000L * i, false, ByteBuffer.wrap(pl));
                sentVideo++;
            }
            p.link.runFor(Duration.ofMillis(20));
        }
        p.link.runFor(Duration.ofSeconds(1));
        assertThat(audio[0]).isEqualTo(100);
        assertThat(video[0]).as("every video packet, lost ones repaired by RTX").isEqualTo(sentVideo);
        MediaStatsSnapshot b = p.b.stats(p.clock.now());
        assertThat(b.unroutable()).isZero();
        assertThat(b.inbound()).hasSize(2);
        assertThat(b.inbound().stream().filter(s -> s.kind().equals("video")).findFirst().orElseThrow().packetsLost()).isZero();
    }

    @Test
    void twoVideoTransceiversWithoutSsrcOrMidAreAmbiguousAndCounted() {
        EnginePair p = new EnginePair(22);
        p.a.addTrack(MediaKind.VIDEO, TrackInit.DEFAULT);
        p.a.addTrack(MediaKind.VIDEO, TrackInit.DEFAULT);
        p.negotiate(without("a=ssrc:", "a=ssrc-group:", "a=extmap:"), () -> { }, s -> s);
        p.connect(SrtpProfile.AEAD_AES_128_GCM, NetemConfig.perfect(), NetemConfig.perfect(), 5);
        for (int i = 0; i < 10; i++) {
            p.a.transceivers().get(0).sender().sendRtp("VP8", 3000L * i, true, ByteBuffer.wrap(SyntheticMedia.vp8Frame(i, i == 0, 1, 100).get(0)));
        }
        p.link.runFor(Duration.ofMillis(50));
        MediaStatsSnapshot b = p.b.stats(p.clock.now());
        assertThat(b.unroutable()).isEqualTo(10);
        assertThat(b.inbound()).isEmpty();
    }
}
