package io.jrtc.probe.internal;

import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.InitAckChunk;
import io.jrtc.sctp.packet.InitChunk;
import io.jrtc.sctp.packet.Parameter;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.sctp.packet.UnknownParameter;
import io.jrtc.sctp.packet.UnrecognizedParameter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * jrtc's INIT carries two parameters of unknown types: 0xBEEF, high bits 10 (skip it and continue) and 0xFEED, high
 * bits 11 (skip it, continue, and report it). The target must answer with an INIT ACK reporting 0xFEED.
 */
final class InitUnknownParameter extends Scenario {

    /** High bits 10 (RFC 9260 §3.2.1: skip this parameter and continue processing). */
    static final int SKIP = 0xBEEF;
    /** High bits 11 (RFC 9260 §3.2.1: skip this parameter, continue processing, and report it). */
    static final int TYPE = 0xFEED;

    @Override
    public String id() {
        return "init-unknown-parameter";
    }

    @Override
    public String clause() {
        return "RFC 9260 §3.2.1";
    }

    @Override
    public String description() {
        return "jrtc's INIT (as in init-collision) carries two parameters of unknown types, 0xBEEF (high bits 10: skip, continue) and 0xFEED "
                + "(high bits 11: skip, continue, report); the target must answer with an INIT ACK that reports 0xFEED in "
                + "an Unrecognized Parameter (type 8). An ABORT or no answer is a FAIL; no report, a DEVIATION.";
    }

    @Override
    public List<Fault> faults() {
        return List.of(Fault.rewrite("INIT + unknown parameters 0xBEEF, 0xFEED", Direction.OUTBOUND, ChunkTypes.INIT,
                p -> Chunks.mapChunks(p, c -> {
                    if (c instanceof InitChunk i && i.parameters().stream().noneMatch(x -> x.type() == TYPE)) {
                        List<Parameter> ps = new ArrayList<>(InitCollision.plain(i).parameters());
                        ps.add(new UnknownParameter(SKIP, "skip".getBytes(StandardCharsets.US_ASCII)));
                        ps.add(new UnknownParameter(TYPE, "rprt".getBytes(StandardCharsets.US_ASCII)));
                        return new InitChunk(i.initiateTag(), i.advertisedReceiverWindowCredit(), i.outboundStreams(),
                                i.inboundStreams(), i.initialTsn(), ps);
                    }
                    return c;
                })));
    }

    @Override
    public Outcome run(Session s) throws Exception {
        ProbeTap.Seen init = s.tap.await(Chunks.has(Direction.OUTBOUND, Chunks.type(ChunkTypes.INIT)), 5000);
        if (init == null) {
            return outcome(Verdict.NOT_APPLICABLE, "jrtc sent no INIT in this role", List.of());
        }
        long tag = ((InitChunk) init.packet().chunks().stream().filter(c -> c instanceof InitChunk).findFirst().orElseThrow()).initiateTag();
        // the answer to our INIT: a packet with our initiate tag as its verification tag
        ProbeTap.Seen answer = s.tap.await(p -> p.inbound() && p.packet() != null && p.packet().verificationTag() == tag
                && p.packet().chunks().stream().anyMatch(c -> c.type() == ChunkTypes.INIT_ACK || c.type() == ChunkTypes.ABORT), 3000);
        List<Evidence> ev = new ArrayList<>();
        ev.add(toEvidence(init));
        if (answer == null) {
            ev.addAll(evidence(s, p -> p.inbound() && p.atMillis() <= init.atMillis() + 3000, 4));
            return outcome(Verdict.FAIL, "no INIT ACK answered the INIT with the unknown parameter within 3 s"
                    + (s.connected() ? " (the association came up from the target's own INIT)" : ""), ev);
        }
        ev.add(toEvidence(answer));
        SctpPacket p = answer.packet();
        for (var c : p.chunks()) {
            if (c instanceof InitAckChunk ack) {
                boolean reported = ack.parameters().stream().anyMatch(x -> x instanceof UnrecognizedParameter u
                        && u.parameter().length >= 2 && (ByteBuffer.wrap(u.parameter()).getShort() & 0xFFFF) == TYPE);
                return reported ? outcome(Verdict.PASS, "INIT ACK, with 0xFEED reported as unrecognized", ev)
                        : outcome(Verdict.DEVIATION, "INIT ACK, but 0xFEED is not reported (RFC 9260 §3.2.1: high bits 11 "
                                + "mean skip and report)", ev);
            }
        }
        return outcome(Verdict.FAIL, "the target refused the INIT (ABORT) instead of skipping the unknown parameters", ev);
    }
}
