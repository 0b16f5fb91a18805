package io.jrtc.signaling.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coalescing rule on a plain queue: a dequeued candidate takes the candidates queued after it for the same
 * recipient, skips messages to other recipients, stops at any other message to its recipient, and respects the
 * element and byte limits; the batch encodes to the documented JSON.
 */
class CandidateBatcherKeepsOrderAndLimits {

    private static Outbound candidate(String to, String c) {
        SignalingMessage.Candidate m = new SignalingMessage.Candidate(to, c, "0", 0);
        String json = SignalingCodec.encode(m);
        return new Outbound(to, json, json.getBytes(StandardCharsets.UTF_8).length, new CompletableFuture<>(), false, m);
    }

    private static Outbound offer(String to) {
        String json = SignalingCodec.encode(new SignalingMessage.Offer(to, "v=0"));
        return new Outbound(to, json, json.length(), new CompletableFuture<>(), true, null);
    }

    private static List<String> names(List<Outbound> l) {
        return l.stream().map(o -> o.candidate() == null ? "offer:" + o.to() : o.candidate().candidate()).toList();
    }

    @Test
    void takesLaterCandidatesForItsRecipientUpToAnotherMessageToIt() {
        ArrayDeque<Outbound> q = new ArrayDeque<>(List.of(candidate("b", "b1"), candidate("c", "c0"),
                candidate("b", "b2"), offer("b"), candidate("b", "b3"), offer("c")));
        List<Outbound> batch = CandidateBatcher.collect(q, candidate("b", "b0"), 64, 65536);
        assertThat(names(batch)).containsExactly("b0", "b1", "b2");
        assertThat(names(List.copyOf(q))).containsExactly("c0", "offer:b", "b3", "offer:c");
        assertThat(CandidateBatcher.encode(batch)).isEqualTo("{\"type\":\"candidates\",\"to\":\"b\",\"candidates\":["
                + "{\"candidate\":\"b0\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0},"
                + "{\"candidate\":\"b1\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0},"
                + "{\"candidate\":\"b2\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}]}");
        // the offer to c does not stop c's candidates: it comes after them
        List<Outbound> forC = CandidateBatcher.collect(q, q.poll(), 64, 65536);
        assertThat(names(forC)).containsExactly("c0");
    }

    @Test
    void skipsAQueuedLinkReportWhichHasNoRecipient() {
        // a link report (to = null) queued between candidates threw a NullPointerException out of the pump: the
        // dequeued candidate was lost and the queue stalled (found by mesh-sim: links never got their candidates)
        Outbound report = new Outbound(null, "{\"type\":\"link_report\",\"links\":[]}", 32,
                new CompletableFuture<>(), false, null);
        ArrayDeque<Outbound> q = new ArrayDeque<>(List.of(report, candidate("b", "b1")));
        List<Outbound> batch = CandidateBatcher.collect(q, candidate("b", "b0"), 64, 65536);
        assertThat(names(batch)).containsExactly("b0", "b1");
        assertThat(q).containsExactly(report);
    }

    @Test
    void respectsTheElementAndByteLimits() {
        ArrayDeque<Outbound> q = new ArrayDeque<>();
        for (int i = 1; i < 10; i++) {
            q.add(candidate("b", "c" + i));
        }
        assertThat(CandidateBatcher.collect(q, candidate("b", "c0"), 4, 65536)).hasSize(4);
        assertThat(q).hasSize(6);
        Outbound first = q.poll();
        int room = CandidateBatcher.ENVELOPE_BYTES + first.bytes() + 2 * q.peek().bytes();
        List<Outbound> capped = CandidateBatcher.collect(q, first, 64, room);
        assertThat(names(capped)).containsExactly("c4", "c5", "c6");
        assertThat(CandidateBatcher.encode(capped).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(room);
        assertThat(names(List.copyOf(q))).containsExactly("c7", "c8", "c9");
        assertThat(CandidateBatcher.collect(q, q.poll(), 64, 1)).as("a lone candidate always goes").hasSize(1);
    }
}
