package io.jrtc.probe.internal;

import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.InitChunk;
import io.jrtc.sctp.packet.ZeroChecksumAcceptableParameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Both ends of a WebRTC connection send an INIT when DTLS comes up, so each INIT usually meets the other side in
 * COOKIE-WAIT: the target must still answer jrtc's (plain) INIT with an INIT ACK. The baseline for
 * {@code init-unknown-parameter}: a target that fails here fails there for this reason, not for the parameters.
 */
final class InitCollision extends Scenario {

    @Override
    public String id() {
        return "init-collision";
    }

    @Override
    public String clause() {
        return "RFC 9260 §5.2.1";
    }

    @Override
    public String description() {
        return "jrtc's INIT, plain RFC 9260 (its RFC 9653 Zero Checksum Acceptable removed), sent as DTLS comes up (the "
                + "target usually has its own INIT outstanding): the target must answer it with an INIT ACK (in COOKIE-WAIT "
                + "too). The baseline of init-unknown-parameter.";
    }

    /**
     * jrtc's INIT without its RFC 9653 Zero Checksum Acceptable parameter: an RFC 9260 INIT with only the extensions
     * every data channel stack knows (RFC 3758, RFC 6525), so that a target that refuses unknown parameters is not
     * refused here.
     */
    static InitChunk plain(InitChunk i) {
        return new InitChunk(i.initiateTag(), i.advertisedReceiverWindowCredit(), i.outboundStreams(), i.inboundStreams(),
                i.initialTsn(), i.parameters().stream().filter(p -> !(p instanceof ZeroChecksumAcceptableParameter)).toList());
    }

    @Override
    public List<Fault> faults() {
        return List.of(Fault.rewrite("INIT without Zero Checksum Acceptable", Direction.OUTBOUND, ChunkTypes.INIT,
                p -> Chunks.mapChunks(p, c -> c instanceof InitChunk i && i.parameters().stream()
                        .anyMatch(x -> x instanceof ZeroChecksumAcceptableParameter) ? plain(i) : c)));
    }

    @Override
    public Outcome run(Session s) throws Exception {
        ProbeTap.Seen init = s.tap.await(Chunks.has(Direction.OUTBOUND, Chunks.type(ChunkTypes.INIT)), 5000);
        if (init == null) {
            return outcome(Verdict.NOT_APPLICABLE, "jrtc sent no INIT in this role", List.of());
        }
        long tag = Chunks.all(List.of(init), Direction.OUTBOUND, InitChunk.class).get(0).initiateTag();
        ProbeTap.Seen answer = s.tap.await(p -> p.inbound() && p.packet() != null && p.packet().verificationTag() == tag
                && p.packet().chunks().stream().anyMatch(c -> c.type() == ChunkTypes.INIT_ACK || c.type() == ChunkTypes.ABORT), 3000);
        ProbeTap.Seen theirs = s.tap.await(Chunks.has(Direction.INBOUND, Chunks.type(ChunkTypes.INIT)), 10);
        List<Evidence> ev = new ArrayList<>();
        ev.add(toEvidence(init));
        if (theirs != null) {
            ev.add(toEvidence(theirs));
        }
        boolean collided = theirs != null && theirs.atMillis() <= init.atMillis() + 50;
        if (answer == null) {
            return outcome(Verdict.FAIL, "no INIT ACK answered jrtc's INIT within 3 s" + (collided
                    ? " (the target had sent its own INIT; §5.2.1 wants an INIT ACK in COOKIE-WAIT too)" : ""), ev);
        }
        ev.add(toEvidence(answer));
        boolean ack = answer.packet().chunks().stream().anyMatch(c -> c.type() == ChunkTypes.INIT_ACK);
        return ack ? outcome(Verdict.PASS, "INIT ACK" + (collided ? " although its own INIT was outstanding" : ""), ev)
                : outcome(Verdict.FAIL, "the target answered jrtc's INIT with an ABORT", ev);
    }
}
