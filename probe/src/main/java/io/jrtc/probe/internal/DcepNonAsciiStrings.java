package io.jrtc.probe.internal;

import io.jrtc.datachannel.DataChannel;
import io.jrtc.datachannel.DataChannelInit;
import io.jrtc.datachannel.DataChannelMessage;
import io.jrtc.peer.PacketTap.Direction;
import io.jrtc.probe.Evidence;
import io.jrtc.probe.Verdict;
import java.util.ArrayList;
import java.util.List;

/** Label and protocol strings outside ASCII: lengths in bytes, UTF-8 on the wire, accepted and echoed. */
final class DcepNonAsciiStrings extends Scenario {

    static final String LABEL = "probe-ÅÉßλ€-日本-🦊";
    static final String PROTOCOL = "proto-ω✓-🛰";

    @Override
    public String id() {
        return "dcep-non-ascii-strings";
    }

    @Override
    public String clause() {
        return "RFC 8832 §5.1";
    }

    @Override
    public String description() {
        return "jrtc opens a channel whose label and protocol hold multi-byte UTF-8 (2, 3 and 4 bytes per character); "
                + "the target must acknowledge it and echo a text message with the same characters.";
    }

    @Override
    public Outcome run(Session s) throws Exception {
        DataChannel ch = s.openChannel(LABEL, DataChannelInit.builder().protocol(PROTOCOL).build(), 5000);
        List<Evidence> ev = new ArrayList<>(evidence(s, Waits.openOf(Direction.OUTBOUND, LABEL), 1));
        if (ch == null) {
            return outcome(Verdict.FAIL, "the target did not acknowledge the channel", ev);
        }
        String text = "echo " + LABEL + " " + PROTOCOL;
        s.send(ch, text);
        DataChannelMessage echo = s.receive(ch, 5000);
        ev.addAll(evidence(s, Chunks.has(Direction.INBOUND, Chunks.dataOn(ch.id())), 3));
        if (echo == null || echo.isBinary() || !echo.text().equals(text)) {
            return outcome(Verdict.FAIL, "the channel opened but the text did not come back intact: "
                    + (echo == null ? "nothing" : echo.isBinary() ? "binary" : "'" + echo.text() + "'"), ev);
        }
        return outcome(Verdict.PASS, "acknowledged, and the text came back intact", ev);
    }
}
