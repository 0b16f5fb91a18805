package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.InitAckChunk;
import io.jrtc.sctp.packet.InitChunk;
import io.jrtc.sctp.packet.Parameter;
import io.jrtc.sctp.packet.ZeroChecksumAcceptableParameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * RFC 9653 zero checksum, with jrtc's own Zero Checksum Acceptable parameter removed from its INIT and INIT ACK: the
 * target must then never send a packet with a zero checksum. When the target declares the parameter, jrtc sends it
 * zero checksums (they must be accepted) and one packet with a correct CRC32c (it must be accepted too, §5.1); when it
 * does not, one of jrtc's packets goes with a zero checksum and must be discarded (RFC 9260 §6.8).
 */
final class ZeroChecksum extends Scenario {

    static final int COUNT = 5;

    @Override
    public String id() {
        return "zero-checksum";
    }

    @Override
    public String clause() {
        return "RFC 9653 §5";
    }

    @Override
    public String description() {
        return "jrtc's INIT / INIT ACK go without its Zero Checksum Acceptable parameter; the evidence records whether "
                + "the target declares it (and its EDMID, 1 = DTLS). The target must never send a zero checksum to jrtc "
                + "then. If it declared it, jrtc's zero-checksum packets must be accepted, and one with a correct "
                + "CRC32c too; if not, one DATA packet of jrtc's with a zero checksum must be discarded (jrtc "
                + "retransmits it). Any of these broken is a FAIL.";
    }

    @Override
    public List<Fault> faults() {
        return List.of(Fault.rewrite("INIT without Zero Checksum Acceptable", Direction.OUTBOUND, ChunkTypes.INIT,
                        p -> Chunks.mapChunks(p, c -> c instanceof InitChunk i && has(i.parameters()) ? InitCollision.plain(i) : c)),
                Fault.rewrite("INIT ACK without Zero Checksum Acceptable", Direction.OUTBOUND, ChunkTypes.INIT_ACK,
                        p -> Chunks.mapChunks(p, c -> c instanceof InitAckChunk i && has(i.parameters())
                                ? new InitAckChunk(i.initiateTag(), i.advertisedReceiverWindowCredit(), i.outboundStreams(),
                                        i.inboundStreams(), i.initialTsn(), i.parameters().stream()
                                        .filter(x -> !(x instanceof ZeroChecksumAcceptableParameter)).toList())
                                : c)));
    }

    private static boolean has(List<Parameter> ps) {
        return ps.stream().anyMatch(x -> x instanceof ZeroChecksumAcceptableParameter);
    }

    @Override
    public Outcome run(Session s) throws Exception {
        List<Evidence> ev = new ArrayList<>();
        ProbeTap.Seen theirInit = s.tap.await(p -> p.inbound() && p.packet() != null && p.packet().chunks().stream()
                .anyMatch(c -> c instanceof InitChunk || c instanceof InitAckChunk), 100);
        ProbeTap.Seen ourInit = s.tap.await(p -> !p.inbound() && p.packet() != null && p.packet().chunks().stream()
                .anyMatch(c -> c instanceof InitChunk || c instanceof InitAckChunk), 100);
        if (theirInit == null || !s.connected()) {
            return outcome(Verdict.FAIL, "the association did not come up", ev);
        }
        ev.add(toEvidence(ourInit));
        ev.add(toEvidence(theirInit));
        Optional<ZeroChecksumAcceptableParameter> declared = theirInit.packet().chunks().stream()
                .flatMap(c -> c instanceof InitChunk i ? i.parameters().stream()
                        : c instanceof InitAckChunk a ? a.parameters().stream() : java.util.stream.Stream.empty())
                .filter(x -> x instanceof ZeroChecksumAcceptableParameter).map(x -> (ZeroChecksumAcceptableParameter) x)
                .findFirst();
        DataChannel ch = s.openChannel("zero-checksum", DataChannelInit.DEFAULT, 5000);
        if (ch == null) {
            return outcome(Verdict.FAIL, "the channel did not open", ev);
        }
        int sid = ch.id();
        s.tap.await(Chunks.has(Direction.INBOUND, c -> c instanceof DataChunk d && d.streamId() == sid && Waits.isAck(d)), 5000);
        // the next DATA packet goes with the other checksum: correct CRC32c if the target declared, else zero
        int from = s.tap.seen().size();
        s.tap.add(Fault.flipChecksum(Direction.OUTBOUND, ChunkTypes.DATA, 1, 0));
        int echoed = 0;
        for (int i = 0; i < COUNT; i++) {
            s.send(ch, "checksum " + i);
            DataChannelMessage m = s.receive(ch, 8000);
            if (m == null || m.isBinary() || !m.text().equals("checksum " + i)) {
                break;
            }
            echoed++;
        }
        List<ProbeTap.Seen> all = s.tap.seen();
        ProbeTap.Seen flipped = all.subList(from, all.size()).stream()
                .filter(p -> p.fault() != null && p.fault().contains("flip the checksum")).findFirst().orElse(null);
        ProbeTap.Seen zeroIn = all.stream().filter(p -> p.inbound() && p.packet() != null && p.zeroChecksum()).findFirst().orElse(null);
        long zeroOut = all.stream().filter(p -> !p.inbound() && p.packet() != null && p.zeroChecksum()).count();
        ProbeTap.Seen again = null;
        if (flipped != null) {
            ev.add(new Evidence(flipped.atMillis(), "rewritten-out", "sent with " + (flipped.zeroChecksum()
                    ? "a zero checksum" : "a correct CRC32c") + " instead: " + flipped.decoded()));
            long tsn = flipped.packet().chunks().stream().filter(c -> c instanceof DataChunk).map(c -> ((DataChunk) c).tsn())
                    .findFirst().orElse(-1L);
            again = all.subList(all.indexOf(flipped) + 1, all.size()).stream().filter(p -> !p.inbound() && p.passed()
                    && p.packet() != null && p.packet().chunks().stream().anyMatch(c -> c instanceof DataChunk d && d.tsn() == tsn))
                    .findFirst().orElse(null);
            if (again != null) {
                ev.add(new Evidence(again.atMillis(), "out", "retransmitted: " + again.decoded()));
            }
        }
        if (zeroIn != null) {
            ev.add(toEvidence(zeroIn));
        }
        String offer = declared.map(z -> "the target declares Zero Checksum Acceptable (EDMID " + z.errorDetectionMethod()
                + (z.errorDetectionMethod() == ZeroChecksumAcceptableParameter.EDMID_SCTP_OVER_DTLS ? ", DTLS" : ", not DTLS")
                + ")").orElse("the target does not declare Zero Checksum Acceptable");
        ev.add(0, Evidence.note(offer + "; jrtc sent " + zeroOut + " packets with a zero checksum; " + echoed + "/" + COUNT
                + " messages echoed"));
        if (zeroIn != null) {
            return outcome(Verdict.FAIL, offer + ", and sends packets with a zero checksum though jrtc did not declare "
                    + "that it accepts them", ev);
        }
        if (flipped == null) {
            return outcome(Verdict.NOT_APPLICABLE, offer + "; jrtc's DATA was not seen", ev);
        }
        if (echoed < COUNT) {
            return outcome(Verdict.FAIL, offer + "; only " + echoed + "/" + COUNT + " messages were echoed", ev);
        }
        if (declared.isPresent()) {
            if (again != null) {
                return outcome(Verdict.FAIL, offer + ", but discarded jrtc's packet with a correct CRC32c (§5.1: it must "
                        + "accept both)", ev);
            }
            return outcome(Verdict.PASS, offer + "; it accepts jrtc's zero checksums and a correct CRC32c, and sends "
                    + "none itself since jrtc did not declare it", ev);
        }
        if (again == null) {
            return outcome(Verdict.FAIL, offer + ", yet it accepted jrtc's packet with a zero checksum (it must be "
                    + "discarded: RFC 9260 §6.8)", ev);
        }
        return outcome(Verdict.PASS, offer + "; it discarded jrtc's zero-checksum packet (retransmitted) and sends no "
                + "zero checksum", ev);
    }
}
