package io.jrtc.sctp.internal.socket;

import static io.jrtc.sctp.internal.socket.SocketContext.LOG;

import io.jrtc.sctp.SctpEvent;
import io.jrtc.sctp.internal.Seq;
import io.jrtc.sctp.packet.AddIncomingStreamsRequestParameter;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.AddOutgoingStreamsRequestParameter;
import io.jrtc.sctp.packet.IncomingSsnResetRequestParameter;
import io.jrtc.sctp.packet.OutgoingSsnResetRequestParameter;
import io.jrtc.sctp.packet.Parameter;
import io.jrtc.sctp.packet.ReConfigChunk;
import io.jrtc.sctp.packet.ReconfigurationResponseParameter;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.sctp.packet.SsnTsnResetRequestParameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stream reset (RFC 6525 RE-CONFIG): our Outgoing SSN Reset Requests (one at a time, once the closing streams have
 * nothing unsent, retransmitted and retried after "In progress" under the RE-CONFIG timer), and the peer's requests:
 * Outgoing SSN Reset performed at once or deferred until earlier TSNs arrive (§5.2.2), the others denied. Its state
 * lives in the {@link Tcb}.
 */
public final class StreamReset {

    private StreamReset() {
    }

    /** Queues an outgoing reset of {@code streamIds} (validated by the façade while ESTABLISHED). */
    public static void resetStreams(SocketContext ctx, int[] streamIds) {
        if (!ctx.peerReconfig) {
            ctx.events.add(new SctpEvent.StreamResetFailed(streamIds.clone(), "peer does not support RE-CONFIG (RFC 6525)"));
            return;
        }
        Tcb tcb = ctx.tcb();
        for (int id : streamIds) {
            if (ctx.sendQueue.isClosing(id)) {
                continue;
            }
            ctx.sendQueue.markClosing(id);
            if (tcb.pendingResetCount == tcb.pendingResets.length) {
                tcb.pendingResets = Arrays.copyOf(tcb.pendingResets, Math.max(8, tcb.pendingResetCount * 2));
            }
            tcb.pendingResets[tcb.pendingResetCount++] = id;
        }
        tryStartReset(ctx);
    }

    /** Sends the next Outgoing SSN Reset Request once a closing stream has nothing unsent (RFC 6525 §5.1.2). */
    static void tryStartReset(SocketContext ctx) {
        Tcb tcb = ctx.tcb();
        if (tcb == null || tcb.currentReset != null || tcb.pendingResetCount == 0) {
            return;
        }
        int maxIds = (ctx.config.mtu() - SctpPacket.HEADER_LENGTH - 4 - 16) / 2;
        int[] ready = new int[Math.min(tcb.pendingResetCount, maxIds)];
        int n = 0;
        int keep = 0;
        for (int i = 0; i < tcb.pendingResetCount; i++) {
            int id = tcb.pendingResets[i];
            if (n < ready.length && ctx.sendQueue.readyForReset(id)) {
                ready[n++] = id;
            } else {
                tcb.pendingResets[keep++] = id;
            }
        }
        tcb.pendingResetCount = keep;
        if (n == 0) {
            return;
        }
        tcb.currentReset = new Tcb.ResetRequest(Arrays.copyOf(ready, n));
        sendResetRequest(ctx, tcb);
    }

    private static void sendResetRequest(SocketContext ctx, Tcb tcb) {
        Tcb.ResetRequest r = tcb.currentReset;
        if (r.seq < 0) {
            r.seq = tcb.nextRequestSeq;
            tcb.nextRequestSeq = (tcb.nextRequestSeq + 1) & 0xFFFF_FFFFL;
            r.lastTsn = Seq.wire32(tcb.rtx.lastAssignedTsn());
        }
        List<Integer> ids = new ArrayList<>(r.streams.length);
        for (int id : r.streams) {
            ids.add(id);
        }
        ctx.controlQueue.add(new ReConfigChunk(List.of(new OutgoingSsnResetRequestParameter(r.seq,
                Seq.wire32(tcb.lastPeerRequestSeq), r.lastTsn, ids))));
        tcb.reconfigTimer().start(ctx.now, ctx.rto.rto());
    }

    /** The RE-CONFIG timer: the request again (a retransmission counts as an error, a retry does not). */
    static void onTimeout(SocketContext ctx, Tcb tcb) {
        if (!tcb.reconfigExpired(ctx.now)) {
            return;
        }
        tcb.reconfigTimer().stop();
        if (tcb.currentReset == null) {
            return;
        }
        if (tcb.currentReset.seq >= 0) {
            if (ctx.incrementErrors("RE-CONFIG unanswered")) {
                return;
            }
        }
        sendResetRequest(ctx, tcb);
    }

    static void handleReconfig(SocketContext ctx, ReConfigChunk chunk) {
        Tcb tcb = ctx.tcb();
        if (tcb == null) {
            ctx.counters.dropsState++;
            return;
        }
        List<Parameter> ps = chunk.parameters();
        if (!validReconfig(ps)) {
            ctx.counters.dropsMalformed++;
            LOG.debug("{}: RE-CONFIG with an invalid parameter combination ignored: {}", ctx.name, ps);
            return;
        }
        List<Parameter> responses = new ArrayList<>(2);
        for (Parameter p : ps) {
            switch (p) {
                case OutgoingSsnResetRequestParameter req -> handleOutgoingResetRequest(ctx, tcb, req, responses);
                case IncomingSsnResetRequestParameter req -> denyRequest(tcb, req.requestSequenceNumber(), responses);
                case SsnTsnResetRequestParameter req -> denyRequest(tcb, req.requestSequenceNumber(), responses);
                case AddOutgoingStreamsRequestParameter req -> denyRequest(tcb, req.requestSequenceNumber(), responses);
                case AddIncomingStreamsRequestParameter req -> denyRequest(tcb, req.requestSequenceNumber(), responses);
                case ReconfigurationResponseParameter resp -> handleReconfigResponse(ctx, tcb, resp);
                default -> {
                }
            }
        }
        if (!responses.isEmpty()) {
            ctx.controlQueue.add(new ReConfigChunk(responses));
        }
    }

    /** The parameter combinations RFC 6525 §3.1 allows. */
    private static boolean validReconfig(List<Parameter> ps) {
        if (ps.size() == 1) {
            return ps.get(0) instanceof OutgoingSsnResetRequestParameter || ps.get(0) instanceof IncomingSsnResetRequestParameter
                    || ps.get(0) instanceof SsnTsnResetRequestParameter || ps.get(0) instanceof AddOutgoingStreamsRequestParameter
                    || ps.get(0) instanceof AddIncomingStreamsRequestParameter
                    || ps.get(0) instanceof ReconfigurationResponseParameter;
        }
        Parameter a = ps.get(0);
        Parameter b = ps.get(1);
        return pair(a, b, OutgoingSsnResetRequestParameter.class, IncomingSsnResetRequestParameter.class)
                || pair(a, b, AddOutgoingStreamsRequestParameter.class, AddIncomingStreamsRequestParameter.class)
                || pair(a, b, ReconfigurationResponseParameter.class, OutgoingSsnResetRequestParameter.class)
                || pair(a, b, ReconfigurationResponseParameter.class, ReconfigurationResponseParameter.class);
    }

    private static boolean pair(Parameter a, Parameter b, Class<?> x, Class<?> y) {
        return (x.isInstance(a) && y.isInstance(b)) || (y.isInstance(a) && x.isInstance(b));
    }

    /** RFC 6525 §5.2.1: checks a request sequence number; adds the response for a retransmission or a bad one. */
    private static boolean acceptRequestSeq(Tcb tcb, long wireSeq, List<Parameter> responses) {
        long seq = Seq.unwrap32(tcb.lastPeerRequestSeq, wireSeq);
        if (seq == tcb.lastPeerRequestSeq) {
            responses.add(ReconfigurationResponseParameter.of(wireSeq, tcb.lastPeerRequestResult));
            return false;
        }
        if (seq != tcb.lastPeerRequestSeq + 1) {
            responses.add(ReconfigurationResponseParameter.of(wireSeq,
                    ReconfigurationResponseParameter.RESULT_ERROR_BAD_SEQUENCE_NUMBER));
            return false;
        }
        tcb.lastPeerRequestSeq = seq;
        return true;
    }

    private static void denyRequest(Tcb tcb, long wireSeq, List<Parameter> responses) {
        if (acceptRequestSeq(tcb, wireSeq, responses)) {
            tcb.lastPeerRequestResult = ReconfigurationResponseParameter.RESULT_DENIED;
            responses.add(ReconfigurationResponseParameter.of(wireSeq, tcb.lastPeerRequestResult));
        }
    }

    private static void handleOutgoingResetRequest(SocketContext ctx, Tcb tcb, OutgoingSsnResetRequestParameter req, List<Parameter> responses) {
        if (!acceptRequestSeq(tcb, req.requestSequenceNumber(), responses)) {
            return;
        }
        long lastTsn = tcb.rx.unwrap(req.senderLastAssignedTsn());
        List<Integer> done = tcb.deferredDoneStreams;
        tcb.deferredDoneStreams = null;
        if (done != null && done.equals(req.streamIds()) && tcb.deferredDoneLastTsn == lastTsn) {
            // The peer answered our "In progress" by asking again under a new sequence number (as dcsctp does);
            // the reset was performed meanwhile, so only confirm it.
            tcb.lastPeerRequestResult = ReconfigurationResponseParameter.RESULT_SUCCESS_PERFORMED;
            responses.add(ReconfigurationResponseParameter.of(req.requestSequenceNumber(), tcb.lastPeerRequestResult));
            return;
        }
        if (tcb.reassembly.inDeferredReset()) {
            tcb.lastPeerRequestResult = ReconfigurationResponseParameter.RESULT_IN_PROGRESS;
            responses.add(ReconfigurationResponseParameter.of(req.requestSequenceNumber(), tcb.lastPeerRequestResult));
            return;
        }
        if (lastTsn > tcb.rx.cumulativeTsn()) {
            // §5.2.2 E2: wait for the data sent before the reset.
            tcb.reassembly.enterDeferredReset(lastTsn, req.streamIds());
            tcb.lastPeerRequestResult = ReconfigurationResponseParameter.RESULT_IN_PROGRESS;
        } else {
            tcb.reassembly.resetStreams(req.streamIds());
            ctx.events.add(new SctpEvent.IncomingStreamsReset(toArray(req.streamIds())));
            tcb.lastPeerRequestResult = ReconfigurationResponseParameter.RESULT_SUCCESS_PERFORMED;
        }
        responses.add(ReconfigurationResponseParameter.of(req.requestSequenceNumber(), tcb.lastPeerRequestResult));
    }

    /** Completes a deferred incoming reset once every TSN before it arrived (§5.2.2). */
    static void completeDeferredReset(SocketContext ctx) {
        Tcb tcb = ctx.tcb();
        if (tcb == null || !tcb.reassembly.inDeferredReset()) {
            return;
        }
        long lastTsn = tcb.reassembly.deferredLastTsn();
        List<Integer> ids = tcb.reassembly.completeDeferredReset(tcb.rx.cumulativeTsn());
        if (ids != null) {
            tcb.deferredDoneStreams = ids;
            tcb.deferredDoneLastTsn = lastTsn;
            tcb.lastPeerRequestResult = ReconfigurationResponseParameter.RESULT_SUCCESS_PERFORMED;
            ctx.events.add(new SctpEvent.IncomingStreamsReset(toArray(ids)));
            upgradeQueuedInProgress(ctx, Seq.wire32(tcb.lastPeerRequestSeq));
        }
    }

    /**
     * A retried request usually comes bundled with the DATA it waits for, RE-CONFIG first: it was answered "In progress"
     * before that DATA completed the reset. If that answer has not left yet, it goes out as "Success - Performed"
     * instead, so that the peer need not ask a third time, an RTO later (during which it would not send on the stream
     * although we, the stream reset in both directions, may already reuse it).
     */
    private static void upgradeQueuedInProgress(SocketContext ctx, long wireSeq) {
        boolean found = false;
        for (Chunk c : ctx.controlQueue) {
            if (c instanceof ReConfigChunk rc && rc.parameters().stream().anyMatch(p -> isInProgressFor(p, wireSeq))) {
                found = true;
                break;
            }
        }
        if (!found) {
            return;
        }
        List<Chunk> all = new ArrayList<>(ctx.controlQueue);
        ctx.controlQueue.clear();
        for (Chunk c : all) {
            if (c instanceof ReConfigChunk rc && rc.parameters().stream().anyMatch(p -> isInProgressFor(p, wireSeq))) {
                List<Parameter> ps = new ArrayList<>(rc.parameters().size());
                for (Parameter p : rc.parameters()) {
                    ps.add(isInProgressFor(p, wireSeq) ? ReconfigurationResponseParameter.of(wireSeq,
                            ReconfigurationResponseParameter.RESULT_SUCCESS_PERFORMED) : p);
                }
                c = new ReConfigChunk(ps);
            }
            ctx.controlQueue.add(c);
        }
    }

    private static boolean isInProgressFor(Parameter p, long wireSeq) {
        return p instanceof ReconfigurationResponseParameter r && r.responseSequenceNumber() == wireSeq
                && r.result() == ReconfigurationResponseParameter.RESULT_IN_PROGRESS;
    }

    private static void handleReconfigResponse(SocketContext ctx, Tcb tcb, ReconfigurationResponseParameter resp) {
        Tcb.ResetRequest r = tcb.currentReset;
        if (r == null || r.seq < 0 || resp.responseSequenceNumber() != r.seq) {
            ctx.counters.dropsState++;
            return;
        }
        tcb.reconfigTimer().stop();
        long result = resp.result();
        if (result == ReconfigurationResponseParameter.RESULT_SUCCESS_PERFORMED
                || result == ReconfigurationResponseParameter.RESULT_SUCCESS_NOTHING_TO_DO) {
            for (int id : r.streams) {
                ctx.sendQueue.commitReset(id);
            }
            tcb.currentReset = null;
            ctx.events.add(new SctpEvent.OutgoingStreamsReset(r.streams.clone()));
            tryStartReset(ctx);
        } else if (result == ReconfigurationResponseParameter.RESULT_IN_PROGRESS) {
            // Try again after an RTO with a new request sequence number (as dcsctp does).
            r.seq = -1;
            tcb.reconfigTimer().start(ctx.now, ctx.rto.rto());
        } else {
            for (int id : r.streams) {
                ctx.sendQueue.rollbackReset(id);
            }
            tcb.currentReset = null;
            String why = ReconfigurationResponseParameter.resultName(result);
            LOG.debug("{}: stream reset {} refused: {}", ctx.name, Arrays.toString(r.streams), why);
            ctx.events.add(new SctpEvent.StreamResetFailed(r.streams.clone(), why));
            tryStartReset(ctx);
        }
    }

    private static int[] toArray(List<Integer> ids) {
        int[] out = new int[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.get(i);
        }
        return out;
    }
}
