package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.ChannelOptions;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.DataChunk;
import java.util.ArrayList;
import java.util.List;

/** jrtc opens every channel type; the target must acknowledge each and carry messages on it. */
final class DcepChannelTypesLocal extends Scenario {

    static final List<ChannelOptions> TYPES = List.of(
            new ChannelOptions(true, null, null, ""), new ChannelOptions(false, null, null, ""),
            new ChannelOptions(true, 3, null, ""), new ChannelOptions(false, 3, null, ""),
            new ChannelOptions(true, null, 1500, ""), new ChannelOptions(false, null, 1500, ""));

    @Override
    public String id() {
        return "dcep-channel-types-local";
    }

    @Override
    public String clause() {
        return "RFC 8832 §5.1, §5.2, §6";
    }

    @Override
    public String description() {
        return "jrtc opens a channel of each type (ordered/unordered x reliable/rexmit/timed); the target must answer "
                + "each DATA_CHANNEL_OPEN with a DATA_CHANNEL_ACK (one byte, RFC 8832 §5.2: a longer one is a DEVIATION) "
                + "and echo a message on it.";
    }

    static DataChannelInit init(ChannelOptions o) {
        DataChannelInit.Builder b = DataChannelInit.builder().ordered(o.ordered()).protocol(o.protocol());
        if (o.maxRetransmits() != null) {
            b.maxRetransmits(o.maxRetransmits());
        }
        if (o.maxPacketLifeTime() != null) {
            b.maxPacketLifeTime(o.maxPacketLifeTime());
        }
        return b.build();
    }

    @Override
    public Outcome run(Session s) throws Exception {
        List<String> problems = new ArrayList<>();
        List<String> deviations = new ArrayList<>();
        List<Evidence> ev = new ArrayList<>();
        int k = 0;
        for (ChannelOptions o : TYPES) {
            String label = "local-" + k++;
            DataChannel ch = s.openChannel(label, init(o), 5000);
            if (ch == null) {
                problems.add(label + " (" + o + ") did not open");
                continue;
            }
            int sid = ch.id();
            byte[] msg = Waits.pattern(k, 100);
            s.send(ch, msg);
            DataChannelMessage echo = s.receive(ch, 5000);
            ProbeTap.Seen open = s.tap.await(Waits.openOf(Direction.OUTBOUND, label), 2000);
            ProbeTap.Seen ack = s.tap.await(Chunks.has(Direction.INBOUND,
                    c -> c instanceof DataChunk d && d.streamId() == sid && Waits.isAck(d)), 2000);
            if (open != null) {
                ev.add(toEvidence(open));
            }
            if (ack != null) {
                ev.add(toEvidence(ack));
                for (DataChunk d : Chunks.all(List.of(ack), Direction.INBOUND, DataChunk.class)) {
                    if (d.streamId() == sid && Waits.isAck(d) && d.payload().length != 1) {
                        deviations.add(label + ": DATA_CHANNEL_ACK of " + d.payload().length + " bytes (RFC 8832 §5.2: one byte)");
                    }
                }
            } else {
                problems.add(label + " (" + o + "): no DATA_CHANNEL_ACK on stream " + sid);
            }
            if (!Waits.sameBytes(echo, msg)) {
                problems.add(label + " (" + o + ") opened but did not echo");
            }
        }
        if (!problems.isEmpty()) {
            problems.addAll(deviations);
            return outcome(Verdict.FAIL, String.join("; ", problems), ev);
        }
        return deviations.isEmpty()
                ? outcome(Verdict.PASS, "all " + TYPES.size() + " channel types acknowledged and echoed", ev)
                : outcome(Verdict.DEVIATION, "all acknowledged and echoed, but " + String.join("; ", deviations), ev);
    }
}
