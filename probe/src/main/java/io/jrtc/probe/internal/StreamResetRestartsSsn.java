package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelState;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.TargetControl;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.OutgoingSsnResetRequestParameter;
import io.jrtc.sctp.packet.ReConfigChunk;
import io.jrtc.sctp.packet.ReconfigurationResponseParameter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A channel the target has sent on is closed (its streams reset), then jrtc opens a new channel on the same stream
 * id: the target's first ordered message on it must have SSN 0. Twice: once jrtc closes (the target resets its
 * outgoing stream in answer), once the target closes (it resets its own outgoing stream first; needs
 * {@link TargetControl}). The "in progress" variant ({@link #afterInProgress()}) first withholds the target's last DATA
 * before the close (until jrtc has sent that answer), so that its reset request names a TSN jrtc has not received: jrtc answers "In progress" (RFC 6525
 * §5.2.2 E2) and performs the reset once the target has retransmitted that DATA; the target must then start again at
 * SSN 0 too. Until jrtc has opened the new channel, the target's retransmissions of that reset request are dropped:
 * otherwise the round's outcome would hang on whether the target's RE-CONFIG timer fires before jrtc reopens the stream
 * (a retried request is answered "Success - Performed", and a target that gave up after "In progress" would be
 * rescued by it in some runs and not in others).
 */
final class StreamResetRestartsSsn extends Scenario {

    private record Round(Verdict verdict, String detail) {
    }

    private static final String LAST = "the last before the reset";
    private final boolean inProgress;

    StreamResetRestartsSsn() {
        this(false);
    }

    private StreamResetRestartsSsn(boolean inProgress) {
        this.inProgress = inProgress;
    }

    /** The variant in which the target's reset request is answered "In progress". */
    static StreamResetRestartsSsn afterInProgress() {
        return new StreamResetRestartsSsn(true);
    }

    @Override
    public String id() {
        return inProgress ? "stream-reset-in-progress" : "stream-reset-restarts-ssn";
    }

    @Override
    public String clause() {
        return inProgress ? "RFC 6525 §5.2.2 (E2), §5.1.1; RFC 8831 §6.7" : "RFC 8831 §6.7, RFC 6525 §5.2.2";
    }

    @Override
    public String description() {
        return inProgress
                ? "As stream-reset-restarts-ssn, but the target's DATA just before the close is withheld until jrtc "
                        + "has answered the target's reset request \"In progress\"; jrtc performs the reset when the DATA "
                        + "comes: the target's first ordered DATA on the reused stream must still have SSN 0."
                : "A channel the target has echoed 3 messages on is closed, (1) by jrtc, (2) by the target (on command), "
                + "and jrtc opens a new channel on the same stream id: the target's first ordered DATA on it must start "
                + "again at SSN 0 (after a reset the stream's SSN is 0).";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        List<Evidence> ev = new ArrayList<>();
        Round jrtcCloses = round(s, "jrtc-closes", false, ev);
        Round targetCloses = s.control().isPresent() ? round(s, "target-closes", true, ev)
                : new Round(Verdict.NOT_APPLICABLE, "the route cannot ask the target to close a channel");
        String detail = "jrtc closes: " + jrtcCloses.detail() + "; the target closes: " + targetCloses.detail();
        Verdict v = jrtcCloses.verdict() == Verdict.FAIL || targetCloses.verdict() == Verdict.FAIL ? Verdict.FAIL
                : jrtcCloses.verdict() == Verdict.PASS || targetCloses.verdict() == Verdict.PASS ? Verdict.PASS
                : Verdict.NOT_APPLICABLE;
        return outcome(v, detail, ev);
    }

    private Round round(Session s, String name, boolean targetCloses, List<Evidence> ev) throws Exception {
        int from = s.tap.seen().size();
        DataChannel a = s.openChannel(name + "-a", DataChannelInit.DEFAULT, 5000);
        if (a == null) {
            return new Round(Verdict.FAIL, "the first channel did not open");
        }
        int sid = a.id();
        for (int i = 0; i < 3; i++) {
            s.send(a, "before reset " + i);
            if (s.receive(a, 5000) == null) {
                return new Round(Verdict.FAIL, "no echo on the first channel");
            }
        }
        String lost = null;
        if (inProgress) {
            // The target's echo of LAST is withheld (its DATA chunk cut out of every packet that carries it) until jrtc
            // has sent an "In progress" answer: its reset request then names a TSN jrtc lacks, and the answer cannot
            // be turned into "Success - Performed" by the DATA arriving in the same packet as a retried request.
            byte[] last = LAST.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
            int since = s.tap.seen().size(); // this round's packets only
            java.util.function.Predicate<io.jrtc.sctp.packet.Chunk> isLast = c -> c instanceof DataChunk d
                    && d.streamId() == sid && java.util.Arrays.equals(d.payload(), last);
            java.util.function.BooleanSupplier inProgressSent = () -> {
                List<ProbeTap.Seen> seen = s.tap.seen();
                return Chunks.all(seen.subList(Math.min(since, seen.size()), seen.size()), Direction.OUTBOUND,
                        ReConfigChunk.class).stream().anyMatch(r -> r.parameters()
                        .stream().anyMatch(x -> x instanceof ReconfigurationResponseParameter q
                                && q.result() == ReconfigurationResponseParameter.RESULT_IN_PROGRESS));
            };
            String withheld = "withhold " + name + ": the target's last DATA until jrtc answered \"In progress\"";
            s.tap.add(Fault.rewrite(withheld, Direction.INBOUND, ChunkTypes.DATA, pkt -> {
                if (answered.get() || pkt.chunks().stream().noneMatch(isLast)) {
                    return pkt;
                }
                if (inProgressSent.getAsBoolean()) {
                    answered.set(true);
                    return pkt;
                }
                return new io.jrtc.sctp.packet.SctpPacket(pkt.sourcePort(), pkt.destinationPort(),
                        pkt.verificationTag(), pkt.chunks().stream().filter(isLast.negate()).toList());
            }));
            // the target's retried reset request for this stream, from jrtc's "In progress" until jrtc's OPEN of the
            // new channel has gone out
            java.util.function.Predicate<io.jrtc.sctp.packet.Chunk> isRetry = c -> c instanceof ReConfigChunk r
                    && r.parameters().stream().anyMatch(x -> x instanceof OutgoingSsnResetRequestParameter o
                            && (o.streamIds().isEmpty() || o.streamIds().contains(sid)));
            String heldRetry = "drop " + name + ": the target's retried reset request until jrtc reopened stream " + sid;
            s.tap.add(Fault.rewrite(heldRetry, Direction.INBOUND, ChunkTypes.RE_CONFIG, pkt -> {
                if (pkt.chunks().stream().noneMatch(isRetry) || !inProgressSent.getAsBoolean()
                        || s.tap.seen().stream().anyMatch(Waits.openOf(Direction.OUTBOUND, name + "-b"))) {
                    return pkt;
                }
                return new io.jrtc.sctp.packet.SctpPacket(pkt.sourcePort(), pkt.destinationPort(),
                        pkt.verificationTag(), pkt.chunks().stream().filter(isRetry.negate()).toList());
            }));
            s.send(a, LAST);
            if (s.tap.await(p -> p.fault() != null && p.fault().endsWith(withheld), 5000) == null) {
                return new Round(Verdict.FAIL, "no echo of the last message within 5 s");
            }
            lost = "its DATA before the reset was withheld until jrtc answered \"In progress\"";
        }
        CountDownLatch closed = new CountDownLatch(1);
        s.pc.execute(() -> {
            a.onClose(closed::countDown);
            if (a.readyState() == DataChannelState.CLOSED) {
                closed.countDown();
            }
        });
        if (targetCloses) {
            s.control().orElseThrow().close(name + "-a");
        } else {
            s.close(a);
        }
        boolean done = closed.await(inProgress ? 20 : 8, TimeUnit.SECONDS);
        List<ProbeTap.Seen> after = s.tap.seen();
        after = after.subList(from, after.size());
        for (ProbeTap.Seen p : after) {
            if (p.packet() != null && p.packet().chunks().stream().anyMatch(c -> c.type() == ChunkTypes.RE_CONFIG)) {
                ev.add(toEvidence(p));
            }
        }
        boolean targetReset = Chunks.all(after, Direction.INBOUND, ReConfigChunk.class).stream()
                .anyMatch(r -> r.parameters().stream().anyMatch(x -> x instanceof OutgoingSsnResetRequestParameter o
                        && (o.streamIds().isEmpty() || o.streamIds().contains(sid))));
        if (!done || !targetReset) {
            return new Round(Verdict.FAIL, "the target did not reset its outgoing stream " + sid
                    + (done ? "" : " (the channel did not close within " + (inProgress ? 20 : 8) + " s)"));
        }
        if (inProgress) {
            boolean answeredInProgress = Chunks.all(after, Direction.OUTBOUND, ReConfigChunk.class).stream()
                    .anyMatch(r -> r.parameters().stream().anyMatch(x -> x instanceof ReconfigurationResponseParameter q
                            && q.result() == ReconfigurationResponseParameter.RESULT_IN_PROGRESS));
            if (!answeredInProgress) {
                return new Round(Verdict.NOT_APPLICABLE, lost + ", but jrtc never answered \"In progress\" (the "
                        + "target's request came after the retransmission)");
            }
        }
        DataChannel b = s.openChannel(name + "-b", DataChannelInit.DEFAULT, 5000);
        if (b == null) {
            return new Round(Verdict.FAIL, "a new channel could not be opened after the reset");
        }
        if (b.id() != sid) {
            return new Round(Verdict.NOT_APPLICABLE, "jrtc chose stream " + b.id() + ", not the reset stream " + sid);
        }
        s.send(b, "after reset");
        // after "In progress" the target may hold the stream until its request is answered again (its RE-CONFIG timer)
        s.receive(b, inProgress ? 10_000 : 3000);
        ProbeTap.Seen openB = s.tap.await(Waits.openOf(Direction.OUTBOUND, name + "-b"), 1000);
        List<ProbeTap.Seen> all = s.tap.seen();
        for (int i = all.indexOf(openB) + 1; i > 0 && i < all.size(); i++) {
            ProbeTap.Seen p = all.get(i);
            if (p.inbound() && p.packet() != null) {
                for (var c : p.packet().chunks()) {
                    if (c instanceof DataChunk d && d.streamId() == sid && !d.unordered()) {
                        ev.add(toEvidence(p));
                        String how = inProgress ? " (jrtc had answered its reset request \"In progress\")" : "";
                        return d.ssn() == 0
                                ? new Round(Verdict.PASS, "the first ordered DATA on the reused stream " + sid + " has SSN 0" + how)
                                : new Round(Verdict.FAIL, "after the reset the target kept counting on stream " + sid
                                        + ": its first ordered DATA there has SSN " + d.ssn() + ", not 0" + how);
                    }
                }
            }
        }
        return new Round(Verdict.FAIL, "the target sent nothing on stream " + sid + " after the reset");
    }
}
