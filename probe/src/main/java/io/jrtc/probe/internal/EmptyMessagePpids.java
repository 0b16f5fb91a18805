package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.DataChunk;
import java.util.ArrayList;
import java.util.List;

/** Empty string and empty binary messages: PPID 56 and 57 with one zero byte, both ways. */
final class EmptyMessagePpids extends Scenario {

    @Override
    public String id() {
        return "empty-message-ppids";
    }

    @Override
    public String clause() {
        return "RFC 8831 §6.6";
    }

    @Override
    public String description() {
        return "jrtc sends an empty string and an empty binary message; the target's echoes must arrive as empty "
                + "messages, sent with PPID 56 (WebRTC String Empty) and 57 (WebRTC Binary Empty) and one byte.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        DataChannel ch = s.openChannel("empty", DataChannelInit.DEFAULT, 5000);
        if (ch == null) {
            return outcome(Verdict.FAIL, "the channel did not open", List.of());
        }
        int sid = ch.id();
        s.send(ch, "");
        DataChannelMessage m1 = s.receive(ch, 5000);
        s.send(ch, new byte[0]);
        DataChannelMessage m2 = s.receive(ch, 5000);
        List<Evidence> ev = new ArrayList<>(evidence(s, Chunks.has(Direction.OUTBOUND,
                c -> c instanceof DataChunk d && d.streamId() == sid && d.ppid() != 50), 2));
        List<DataChunk> in = Chunks.all(s.tap.seen(), Direction.INBOUND, DataChunk.class).stream()
                .filter(d -> d.streamId() == sid && d.ppid() != 50).toList();
        ev.addAll(evidence(s, Chunks.has(Direction.INBOUND, c -> c instanceof DataChunk d && d.streamId() == sid && d.ppid() != 50), 2));
        List<String> problems = new ArrayList<>();
        if (m1 == null || m1.isBinary() || m1.size() != 0) {
            problems.add("the empty string came back as " + describe(m1));
        }
        if (m2 == null || !m2.isBinary() || m2.size() != 0) {
            problems.add("the empty binary message came back as " + describe(m2));
        }
        if (in.size() >= 1 && in.get(0).ppid() != 56) {
            problems.add("the empty string's echo used PPID " + in.get(0).ppid() + ", not 56");
        }
        if (in.size() >= 2 && in.get(1).ppid() != 57) {
            problems.add("the empty binary echo used PPID " + in.get(1).ppid() + ", not 57");
        }
        if (in.isEmpty()) {
            List<DataChunk> out = Chunks.all(s.tap.seen(), Direction.OUTBOUND, DataChunk.class).stream()
                    .filter(d -> d.streamId() == sid && d.ppid() != 50).toList();
            List<io.jrtc.sctp.packet.SackChunk> sacks = Chunks.all(s.tap.seen(), Direction.INBOUND, io.jrtc.sctp.packet.SackChunk.class);
            if (!out.isEmpty() && !sacks.isEmpty()
                    && (int) (sacks.get(sacks.size() - 1).cumulativeTsnAck() - out.get(out.size() - 1).tsn()) >= 0) {
                problems.add("the target acknowledged both DATA chunks (SACK cum_tsn=" + sacks.get(sacks.size() - 1).cumulativeTsnAck()
                        + ") but sent no DATA at all for its echoes");
            }
        }
        return problems.isEmpty() ? outcome(Verdict.PASS, "both echoes empty, with PPIDs 56 and 57", ev)
                : outcome(Verdict.FAIL, String.join("; ", problems), ev);
    }

    private static String describe(DataChannelMessage m) {
        return m == null ? "nothing (no echo within 5 s)" : (m.isBinary() ? "binary" : "text") + " of " + m.size() + " bytes";
    }
}
