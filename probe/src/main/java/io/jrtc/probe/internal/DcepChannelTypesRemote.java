package io.jrtc.probe.internal;

import io.jrtc.datachannel.dcep.DataChannelOpen;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.ChannelOptions;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.TargetControl;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.DataChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The target opens every channel type on command; its DATA_CHANNEL_OPEN must encode each one. */
final class DcepChannelTypesRemote extends Scenario {

    @Override
    public String id() {
        return "dcep-channel-types-remote";
    }

    @Override
    public String clause() {
        return "RFC 8832 §5.1";
    }

    @Override
    public String description() {
        return "The target opens a channel of each type; its DATA_CHANNEL_OPEN must carry the matching channel type "
                + "(0x00/0x80/0x01/0x81/0x02/0x82) and reliability parameter. Needs a target that opens channels on command.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        Optional<TargetControl> control = s.control();
        if (control.isEmpty()) {
            return outcome(Verdict.NOT_APPLICABLE, "this route cannot ask the target to open channels", List.of());
        }
        List<String> problems = new ArrayList<>();
        List<Evidence> ev = new ArrayList<>();
        int k = 0;
        for (ChannelOptions o : DcepChannelTypesLocal.TYPES) {
            String label = "remote-" + k++;
            control.get().openAndSend(label, o, 1, 64, true);
            ProbeTap.Seen seen = s.tap.await(Waits.openOf(Direction.INBOUND, label), 10_000);
            if (seen == null) {
                problems.add(label + " (" + o + "): no DATA_CHANNEL_OPEN seen within 10 s");
                continue;
            }
            ev.add(toEvidence(seen));
            for (DataChunk d : Chunks.all(List.of(seen), Direction.INBOUND, DataChunk.class)) {
                if (Waits.isOpenOf(d, label)) {
                    DataChannelOpen open = (DataChannelOpen) Decode.dcep(d).orElseThrow();
                    int type = open.channelType().code();
                    if (type != o.expectedChannelType()) {
                        problems.add(label + " (" + o + ") sent channel type 0x" + String.format("%02x", type)
                                + ", expected 0x" + String.format("%02x", o.expectedChannelType())
                                + ((type & 0x80) == 0 && !o.ordered() ? " (the unordered bit is missing)" : ""));
                    } else if (open.reliabilityParameter() != o.expectedReliabilityParameter()) {
                        problems.add(label + " (" + o + ") sent reliability parameter " + open.reliabilityParameter());
                    }
                }
            }
        }
        return problems.isEmpty()
                ? outcome(Verdict.PASS, "every channel type encoded as RFC 8832 §5.1 requires", ev)
                : outcome(Verdict.FAIL, String.join("; ", problems), ev);
    }
}
