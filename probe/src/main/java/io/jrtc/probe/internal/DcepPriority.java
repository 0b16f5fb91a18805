package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.datachannel.DataChannelPriority;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.DataChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The DATA_CHANNEL_OPEN priority field (RFC 8832 §5.1, its values RFC 8831 §6.4 / W3C webrtc-priority): jrtc opens
 * channels with the four W3C priorities (128, 256, 512, 1024) and two others any 16-bit value allows (0 and 65535,
 * rewritten in the OPEN): each must be acknowledged and echo a message.
 */
final class DcepPriority extends Scenario {

    @Override
    public String id() {
        return "dcep-priority";
    }

    @Override
    public String clause() {
        return "RFC 8832 §5.1, RFC 8831 §6.4";
    }

    @Override
    public String description() {
        return "jrtc opens six channels whose DATA_CHANNEL_OPEN carries priority 128, 256, 512, 1024 (W3C very-low, low, "
                + "medium, high) and 0 and 65535 (rewritten in the OPEN; the field is any 16-bit value): each must be "
                + "answered by a DATA_CHANNEL_ACK and echo a message. A refused channel is a FAIL.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        List<Evidence> ev = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int[] values = {128, 256, 512, 1024, 0, 65535};
        for (int v : values) {
            String label = "priority-" + v;
            DataChannelInit.Builder b = DataChannelInit.builder();
            if (v >= 128 && v <= 1024) {
                b.priority(DataChannelPriority.valueOf(switch (v) {
                    case 128 -> "VERY_LOW"; case 256 -> "LOW"; case 512 -> "MEDIUM"; default -> "HIGH";
                }));
            } else {
                AtomicBoolean done = new AtomicBoolean();
                s.tap.add(Fault.rewrite("priority " + v, Direction.OUTBOUND, ChunkTypes.DATA, p -> done.get() ? p
                        : Chunks.mapChunks(p, c -> {
                            if (c instanceof DataChunk d && Waits.isOpenOf(d, label)) {
                                done.set(true);
                                byte[] payload = d.payload().clone();
                                payload[2] = (byte) (v >> 8); // the priority field, bytes 2-3 of the OPEN
                                payload[3] = (byte) v;
                                return new DataChunk(d.tsn(), d.streamId(), d.ssn(), d.ppid(), payload, d.unordered(),
                                        d.beginning(), d.ending(), d.immediate());
                            }
                            return c;
                        })));
            }
            DataChannel ch = s.openChannel(label, b.build(), 5000);
            String text = "priority " + v;
            DataChannelMessage echo = null;
            if (ch != null) {
                s.send(ch, text);
                echo = s.receive(ch, 5000);
            }
            ProbeTap.Seen open = s.tap.await(Waits.openOf(Direction.OUTBOUND, label), 100);
            if (open != null) {
                ev.add(toEvidence(open));
            }
            ProbeTap.Seen ack = ch == null ? null : s.tap.await(Chunks.has(Direction.INBOUND,
                    c -> c instanceof DataChunk d && d.streamId() == ch.id() && Waits.isAck(d)), 1000);
            if (ack != null) {
                ev.add(toEvidence(ack));
            }
            if (ch == null || ack == null || echo == null || echo.isBinary() || !text.equals(echo.text())) {
                failed.add(v + (ack == null ? " (no DATA_CHANNEL_ACK)" : " (no echo)"));
            }
        }
        if (!failed.isEmpty()) {
            return outcome(Verdict.FAIL, "channels with priority " + failed + " were not acknowledged or did not echo", ev);
        }
        return outcome(Verdict.PASS, "all six priorities (128, 256, 512, 1024, 0, 65535) acknowledged and echoed", ev);
    }
}
