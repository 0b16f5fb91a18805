package io.jrtc.signaling.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target for {@link SignalingJson#decode(String)}, which reads a frame in one streaming pass and falls back
 * to reading it step by step only when that fails. Contract: for any text, the one-pass decode and the step-by-step
 * one ({@code readObject}, then {@code decode(ObjectNode, String)}, as the server calls it) give an equal message or
 * the same {@link ParseError}; nothing but {@link ParseException} escapes; what decodes encodes and decodes again
 * to an equal message. Seeds: one frame of each message type, a batch element carrying a type, an incomplete
 * message followed by trailing tokens, and a type after the other fields.
 */
class FuzzedFramesDecodeTheSameInOneOrTwoPasses {

    @FuzzTest(maxDuration = "30s")
    void frame(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Object onePass = outcome(() -> SignalingJson.decode(text));
        Object stepByStep = outcome(() -> {
            ObjectNode root = SignalingJson.readObject(text);
            return SignalingJson.decode(root, text);
        });
        assertThat(onePass).as("one pass vs step by step for %s", text).isEqualTo(stepByStep);
        if (onePass instanceof Message m) {
            String out = SignalingJson.encode(m);
            assertThat(outcome(() -> SignalingJson.decode(out))).as("re-encoded %s", out).isEqualTo(m);
        }
    }

    private interface Decode {
        Message run() throws ParseException;
    }

    /** The message, or the ParseError it failed with. */
    private static Object outcome(Decode d) {
        try {
            return d.run();
        } catch (ParseException e) {
            assertThat(e.getMessage()).isNotNull();
            return e.error();
        }
    }
}
