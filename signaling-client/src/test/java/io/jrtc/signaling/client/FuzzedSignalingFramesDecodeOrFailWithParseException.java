package io.jrtc.signaling.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.common.ParseException;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target for the client's signaling codec, which reads every frame the server relays from any registered
 * agent. Contract: any text either decodes to a {@link SignalingMessage} or fails with {@link ParseException};
 * what decodes encodes and decodes again to an equal message. Seeds: one frame of each message type of the
 * protocol README (register, registered, offer with a Chromium SDP, answer, candidate, bye, error, presence).
 */
class FuzzedSignalingFramesDecodeOrFailWithParseException {

    @FuzzTest(maxDuration = "30s")
    void frame(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        SignalingMessage m;
        try {
            m = SignalingCodec.decode(text);
        } catch (ParseException e) {
            assertThat(e.error()).isNotNull();
            return;
        }
        String out = SignalingCodec.encode(m);
        SignalingMessage again;
        try {
            again = SignalingCodec.decode(out);
        } catch (ParseException e) {
            throw new AssertionError("re-encoded frame does not decode: " + out, e);
        }
        assertThat(again).isEqualTo(m);
    }
}
