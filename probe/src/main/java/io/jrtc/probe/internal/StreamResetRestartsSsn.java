package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.datachannel.DataChannelState;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.DataChunk;
import java.util.ArrayList;
import java.util.List;

/**
 * jrtc closes a channel the target has sent on (the target must reset its own outgoing stream too), then opens a new
 * channel on the same stream id: the target's first ordered message on it must have SSN 0.
 */
final class StreamResetRestartsSsn extends Scenario {

    @Override
    public String id() {
        return "stream-reset-restarts-ssn";
    }

    @Override
    public String clause() {
        return "RFC 8831 §6.7, RFC 6525 §5.2.2";
    }

    @Override
    public String description() {
        return "jrtc opens a channel, the target echoes 3 messages, jrtc closes it (the target must reset its outgoing "
                + "stream as well) and opens a new channel on the same stream id: the target's first ordered DATA on "
                + "it must start again at SSN 0.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        DataChannel a = s.openChannel("reset-a", DataChannelInit.DEFAULT, 5000);
        if (a == null) {
            return outcome(Verdict.FAIL, "the first channel did not open", List.of());
        }
        int sid = a.id();
        for (int i = 0; i < 3; i++) {
            s.send(a, "before reset " + i);
            if (s.receive(a, 5000) == null) {
                return outcome(Verdict.FAIL, "no echo on the first channel", List.of());
            }
        }
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        s.pc.execute(() -> {
            a.onClose(closed::countDown);
            if (a.readyState() == DataChannelState.CLOSED) {
                closed.countDown();
            }
        });
        s.close(a);
        boolean done = closed.await(5, java.util.concurrent.TimeUnit.SECONDS);
        List<Evidence> ev = new ArrayList<>(evidence(s, p -> p.packet().chunks().stream().anyMatch(c -> c.type() == ChunkTypes.RE_CONFIG), 4));
        boolean targetReset = Chunks.all(s.tap.seen(), Direction.INBOUND, io.jrtc.sctp.packet.ReConfigChunk.class).stream()
                .anyMatch(r -> r.parameters().stream().anyMatch(x -> x instanceof io.jrtc.sctp.packet.OutgoingSsnResetRequestParameter));
        if (!done || !targetReset) {
            return outcome(Verdict.FAIL, "the target did not reset its outgoing stream " + sid + " after jrtc reset its own"
                    + (done ? "" : " (the channel did not close within 5 s)"), ev);
        }
        DataChannel b = s.openChannel("reset-b", DataChannelInit.DEFAULT, 5000);
        if (b == null) {
            return outcome(Verdict.FAIL, "a new channel could not be opened after the reset", ev);
        }
        if (b.id() != sid) {
            return outcome(Verdict.NOT_APPLICABLE, "jrtc chose stream " + b.id() + ", not the reset stream " + sid, ev);
        }
        s.send(b, "after reset");
        DataChannelMessage echo = s.receive(b, 3000);
        ProbeTap.Seen openB = s.tap.await(Waits.openOf(Direction.OUTBOUND, "reset-b"), 100);
        List<ProbeTap.Seen> all = s.tap.seen();
        DataChunk first = null;
        ProbeTap.Seen firstSeen = null;
        for (int i = all.indexOf(openB) + 1; i < all.size() && first == null; i++) {
            ProbeTap.Seen p = all.get(i);
            if (p.inbound() && p.packet() != null) {
                for (var c : p.packet().chunks()) {
                    if (c instanceof DataChunk d && d.streamId() == sid && !d.unordered() && first == null) {
                        first = d;
                        firstSeen = p;
                    }
                }
            }
        }
        if (first == null) {
            return outcome(Verdict.FAIL, "the target sent nothing on stream " + sid + " after the reset", ev);
        }
        ev.add(toEvidence(firstSeen));
        if (first.ssn() != 0) {
            return outcome(Verdict.FAIL, "after resetting its outgoing stream " + sid + " the target kept counting: its first "
                    + "ordered DATA has SSN " + first.ssn() + ", not 0" + (echo == null ? " (jrtc never delivers it)" : ""), ev);
        }
        return outcome(Verdict.PASS, "the target's first ordered DATA on the reused stream " + sid + " has SSN 0", ev);
    }
}
