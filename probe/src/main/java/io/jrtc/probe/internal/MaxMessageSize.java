package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.DataChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A message of 65,536 bytes (or the target's advertised maximum, if smaller) must get through, both ways. */
final class MaxMessageSize extends Scenario {

    private static final Pattern MMS = Pattern.compile("a=max-message-size:(\\d+)");
    static final int SIZE = 65_536;

    @Override
    public String id() {
        return "max-message-size";
    }

    @Override
    public String clause() {
        return "RFC 8841 §6";
    }

    @Override
    public String description() {
        return "jrtc sends one binary message of 65,536 bytes (RFC 8841's default maximum; less if the target's "
                + "a=max-message-size says so); the target must receive it and echo it back intact.";
    }

    /** The target's a=max-message-size: the RFC 8841 default 65,536 when absent, 0 for unlimited. */
    static long advertised(String sdp) {
        Matcher m = MMS.matcher(sdp == null ? "" : sdp);
        return m.find() ? Long.parseLong(m.group(1)) : 65_536;
    }

    @Override
    public Outcome run(Session s) throws Exception {
        long mms = advertised(s.remoteSdp());
        int size = mms == 0 || mms >= SIZE ? SIZE : (int) mms;
        List<Evidence> ev = new ArrayList<>();
        ev.add(Evidence.note("the target advertises a=max-message-size:" + mms + " (65536 when absent); jrtc sends " + size + " bytes"));
        DataChannel ch = s.openChannel("max-message-size", DataChannelInit.DEFAULT, 5000);
        if (ch == null) {
            return outcome(Verdict.FAIL, "the channel did not open", ev);
        }
        int sid = ch.id();
        byte[] msg = Waits.pattern(7, size);
        s.send(ch, msg);
        DataChannelMessage echo = s.receive(ch, 10_000);
        List<DataChunk> out = Chunks.all(s.tap.seen(), Direction.OUTBOUND, DataChunk.class).stream()
                .filter(d -> d.streamId() == sid && d.ppid() != 50).toList();
        if (!out.isEmpty()) {
            ev.add(Evidence.note("jrtc sent it in " + out.size() + " DATA chunks, TSN " + out.get(0).tsn() + " (B) to "
                    + out.get(out.size() - 1).tsn() + " (E)"));
        }
        ev.addAll(evidence(s, Chunks.has(Direction.INBOUND, c -> c.type() == ChunkTypes.ABORT || c.type() == ChunkTypes.ERROR
                || c.type() == ChunkTypes.RE_CONFIG), 3));
        List<ProbeTap.Seen> sacks = s.tap.seen().stream().filter(Chunks.has(Direction.INBOUND, Chunks.type(ChunkTypes.SACK))).toList();
        if (!sacks.isEmpty()) {
            ev.add(toEvidence(sacks.get(sacks.size() - 1)));
        }
        if (Waits.sameBytes(echo, msg)) {
            ev.addAll(evidence(s, Chunks.has(Direction.INBOUND, c -> c instanceof DataChunk d && d.streamId() == sid && d.ending()), 1));
            return outcome(Verdict.PASS, "the " + size + "-byte message came back intact", ev);
        }
        return outcome(Verdict.FAIL, "the target did not deliver (or echo) a " + size + "-byte message"
                + (mms >= SIZE || mms == 0 ? " although it advertises a=max-message-size:" + mms : "")
                + (echo == null ? " (no echo within 10 s)" : " (the echo differs: " + echo.size() + " bytes)"), ev);
    }
}
