package io.jrtc.signaling.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jrtc.common.ParseException;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target for the server's inbound frame parser, which reads every text frame any connected client sends,
 * registered or not. Contract: any text either parses to an {@link InboundMessage} with a known type or fails with
 * {@link ParseException} (with a {@link io.jrtc.common.ParseError}); nothing else escapes, deep nesting included.
 * A batch ({@code candidates}) also unrolls into exactly its elements, each a valid {@code candidate}.
 * Seeds: one frame of each client-to-server type of the protocol README, a batch and a register with features.
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
                assertThat(r.type()).isIn("offer", "answer", "candidate", "candidates", "bye");
                assertThat(r.to()).isNotNull();
                if (r instanceof InboundMessage.Candidates b) {
                    unrollsIntoItsCandidates(b);
                }
            }
            case InboundMessage.LinkReport r -> {
                assertThat(r.links()).hasSizeLessThanOrEqualTo(Protocol.MAX_REPORTED_LINKS);
                for (InboundMessage.ReportedLink l : r.links()) {
                    assertThat(Protocol.validAgentId(l.agent())).isTrue();
                    assertThat(l.mode()).matches(Protocol.LINK_MODE);
                    assertThat(l.rttMs() == null || (l.rttMs() >= 0 && l.rttMs() <= 600_000)).isTrue();
                }
            }
        }
    }

    /**
     * A parsed batch unrolls (for a recipient without the feature) into exactly its elements, in order, each a
     * valid {@code candidate} message to the batch's {@code to}, with the server's {@code from}.
     */
    static void unrollsIntoItsCandidates(InboundMessage.Candidates b) {
        assertThat(b.elements()).hasSizeBetween(1, Protocol.MAX_BATCH_CANDIDATES);
        b.body().put("from", "sender");
        java.util.List<String> singles = CandidateBatches.unroll(b.body());
        assertThat(singles).hasSameSizeAs(b.elements());
        for (int i = 0; i < singles.size(); i++) {
            InboundMessage one;
            try {
                one = InboundMessage.parse(singles.get(i));
            } catch (ParseException e) {
                throw new AssertionError("unrolled element " + i + " does not parse: " + singles.get(i), e);
            }
            assertThat(one).isInstanceOfSatisfying(InboundMessage.Candidate.class, c -> {
                assertThat(c.to()).isEqualTo(b.to());
                assertThat(c.body().get("from").textValue()).isEqualTo("sender");
            });
            assertThat(((InboundMessage.Candidate) one).candidate())
                    .isEqualTo(b.elements().get(i).get("candidate").textValue());
        }
    }
}
