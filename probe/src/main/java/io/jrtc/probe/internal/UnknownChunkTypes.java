package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.Chunk;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.DataChunk;
import io.jrtc.sctp.packet.ErrorChunk;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.sctp.packet.UnknownChunk;
import io.jrtc.sctp.packet.UnrecognizedChunkTypeCause;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Four chunks of unknown types, one per combination of the two high bits (RFC 9260 §3.2), each put in front of the
 * DATA of one message: 00 and 01 must make the target discard the rest of the packet (the DATA is lost, jrtc
 * retransmits it), 10 and 11 must be skipped (the DATA is processed as if alone); 01 and 11 must be reported in an
 * ERROR with an Unrecognized Chunk Type cause, 00 and 10 not. The association must survive each one.
 */
final class UnknownChunkTypes extends Scenario {

    /** Unassigned chunk types with high bits 00, 01, 10, 11. */
    static final int[] TYPES = {0x3E, 0x7E, 0xBE, 0xFE};
    private static final String[] MEANING = {"stop, discard", "stop, discard, report", "skip", "skip, report"};

    private record Round(Verdict verdict, String detail) {
    }

    @Override
    public String id() {
        return "unknown-chunk-types";
    }

    @Override
    public String clause() {
        return "RFC 9260 §3.2";
    }

    @Override
    public String description() {
        return "jrtc puts a chunk of an unassigned type in front of the DATA of a message, once per high-bit pair: 0x3E "
                + "(00: stop processing the packet, discard), 0x7E (01: also report), 0xBE (10: skip the chunk), 0xFE "
                + "(11: skip and report). The association must survive and echo each message; for 00/01 the DATA must "
                + "be discarded (jrtc has to retransmit it), for 10/11 processed (no retransmission); 01/11 must be "
                + "reported in an ERROR with an Unrecognized Chunk Type cause. A lost association or a wrong "
                + "stop/skip is a FAIL, a missing or extra report a DEVIATION.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        DataChannel ch = s.openChannel("unknown-chunks", DataChannelInit.DEFAULT, 5000);
        if (ch == null) {
            return outcome(Verdict.FAIL, "the channel did not open", List.of());
        }
        List<Evidence> ev = new ArrayList<>();
        List<String> details = new ArrayList<>();
        Verdict worst = Verdict.PASS;
        for (int k = 0; k < TYPES.length; k++) {
            Round r = round(s, ch, k, ev);
            details.add(String.format("0x%02X (%s): %s", TYPES[k], MEANING[k], r.detail()));
            if (r.verdict() == Verdict.FAIL || (r.verdict() == Verdict.DEVIATION && worst == Verdict.PASS)) {
                worst = r.verdict();
            }
            if (r.verdict() == Verdict.FAIL && r.detail().startsWith("no echo")) {
                break;
            }
        }
        return outcome(worst, String.join("; ", details), ev);
    }

    private Round round(Session s, DataChannel ch, int k, List<Evidence> ev) throws Exception {
        int type = TYPES[k];
        boolean stop = (type & 0x80) == 0;
        boolean report = (type & 0x40) != 0;
        String text = "unknown chunk 0x" + Integer.toHexString(type);
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int sid = ch.id();
        AtomicBoolean done = new AtomicBoolean();
        String name = String.format("unknown chunk 0x%02X before the DATA", type);
        s.tap.add(Fault.rewrite(name, Direction.OUTBOUND, ChunkTypes.DATA, p -> {
            if (done.get() || p.chunks().stream().noneMatch(c -> c instanceof DataChunk d && d.streamId() == sid
                    && Arrays.equals(d.payload(), payload))) {
                return p;
            }
            done.set(true);
            List<Chunk> chunks = new ArrayList<>();
            chunks.add(new UnknownChunk(type, 0, "jrtc".getBytes(StandardCharsets.US_ASCII)));
            chunks.addAll(p.chunks());
            return new SctpPacket(p.sourcePort(), p.destinationPort(), p.verificationTag(), chunks);
        }));
        s.send(ch, text);
        DataChannelMessage echo = s.receive(ch, 8000);
        ProbeTap.Seen rewritten = s.tap.await(p -> p.fault() != null && p.fault().endsWith(name), 100);
        if (rewritten == null) {
            return new Round(Verdict.NOT_APPLICABLE, "the message's DATA was not seen");
        }
        ev.add(toEvidence(rewritten));
        long tsn = rewritten.packet().chunks().stream().filter(c -> c instanceof DataChunk).map(c -> ((DataChunk) c).tsn())
                .findFirst().orElseThrow();
        ProbeTap.Seen errorSeen = s.tap.await(p -> p.inbound() && p.atMillis() >= rewritten.atMillis() && p.packet() != null
                && p.packet().chunks().stream().anyMatch(c -> reports(c, type)), report ? 1000 : 300);
        List<ProbeTap.Seen> all = s.tap.seen();
        ProbeTap.Seen again = all.subList(all.indexOf(rewritten) + 1, all.size()).stream().filter(p -> !p.inbound()
                && p.packet() != null && p.passed() && p.packet().chunks().stream()
                .anyMatch(c -> c instanceof DataChunk d && d.tsn() == tsn)).findFirst().orElse(null);
        if (again != null) {
            ev.add(new Evidence(again.atMillis(), "out", "retransmitted: " + again.decoded()));
        }
        if (errorSeen != null) {
            ev.add(toEvidence(errorSeen));
        }
        if (echo == null || echo.isBinary() || !text.equals(echo.text())) {
            ProbeTap.Seen abort = s.tap.await(Chunks.has(Direction.INBOUND, Chunks.type(ChunkTypes.ABORT)), 10);
            if (abort != null) {
                ev.add(toEvidence(abort));
            }
            return new Round(Verdict.FAIL, "no echo of the message within 8 s" + (abort != null ? ", the target aborted" : ""));
        }
        if (stop && again == null) {
            return new Round(Verdict.FAIL, "the DATA after the chunk was processed (not retransmitted), though the high "
                    + "bits say stop processing the packet");
        }
        if (!stop && again != null) {
            return new Round(Verdict.FAIL, "the DATA after the chunk was not processed (jrtc had to retransmit TSN " + tsn
                    + "), though the high bits say skip the chunk");
        }
        String handled = stop ? "packet discarded, the retransmission echoed" : "chunk skipped, the DATA echoed";
        if (report && errorSeen == null) {
            return new Round(Verdict.DEVIATION, handled + ", but no ERROR reports the chunk");
        }
        if (!report && errorSeen != null) {
            return new Round(Verdict.DEVIATION, handled + ", but an ERROR reports the chunk though its high bits say "
                    + "not to");
        }
        return new Round(Verdict.PASS, handled + (report ? ", reported in an ERROR" : ", not reported"));
    }

    /** Whether {@code c} is an ERROR with an Unrecognized Chunk Type cause for {@code type}. */
    static boolean reports(Chunk c, int type) {
        return c instanceof ErrorChunk e && e.causes().stream().anyMatch(x -> x instanceof UnrecognizedChunkTypeCause u
                && u.chunk().length >= 1 && (u.chunk()[0] & 0xFF) == type);
    }
}
