package io.jrtc.signaling.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.common.ParseException;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target for the server's inbound frame parser, which reads every text frame any connected client sends,
 * registered or not. Contract: any text either parses to an {@link InboundMessage} with a known type or fails with
 * {@link ParseException} (with a {@link io.jrtc.common.ParseError}); nothing else escapes, deep nesting included.
 * Seeds: one frame of each client-to-server type of the protocol README.
 */
class FuzzedInboundFramesParseOrFailWithParseException {

    @FuzzTest(maxDuration = "30s")
    void frame(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        InboundMessage m;
        try {
            m = InboundMessage.parse(text);
        } catch (ParseException e) {
            assertThat(e.error()).isNotNull();
            assertThat(e.getMessage()).isNotNull();
            return;
        }
        switch (m) {
            case InboundMessage.Register r -> assertThat(r.agentId()).isNotNull();
            case InboundMessage.Relayed r -> {
                assertThat(r.type()).isIn("offer", "answer", "candidate", "bye");
                assertThat(r.to()).isNotNull();
            }
        }
    }
}
