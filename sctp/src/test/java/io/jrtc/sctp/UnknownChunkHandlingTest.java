package io.jrtc.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.jrtc.sctp.packet.ChunkTypes;
import io.jrtc.sctp.packet.ErrorChunk;
import io.jrtc.sctp.packet.HeartbeatInfoParameter;
import io.jrtc.sctp.packet.HeartbeatRequestChunk;
import io.jrtc.sctp.packet.SctpPacket;
import io.jrtc.sctp.packet.UnknownChunk;
import io.jrtc.sctp.packet.UnrecognizedChunkTypeCause;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 9260 §3.2: the two high bits of an unknown chunk type decide whether the rest of the packet is processed and
 * whether an ERROR reports it. The test bundles an unknown chunk before a HEARTBEAT and checks both effects.
 */
class UnknownChunkHandlingTest {

    @ParameterizedTest(name = "type 0x{0}")
    @CsvSource({"3f, false, false", "7f, false, true", "bf, true, false", "ff, true, true"})
    void theHighBitsDecide(String hexType, boolean continues, boolean reports) throws Exception {
        SctpPair p = SctpPair.perfect(3);
        p.establish();
        int type = Integer.parseInt(hexType, 16);
        // A packet as A would send it to B, carrying the tag B expects (A's peer tag).
        long tagForB = peerTagOf(p.a);
        SctpPacket pkt = new SctpPacket(5000, 5000, tagForB, List.of(new UnknownChunk(type, 0, new byte[] {1, 2, 3}),
                new HeartbeatRequestChunk(new HeartbeatInfoParameter(new byte[] {9, 9}))));
        p.b.handleInput(p.now(), pkt.encode(false));
        List<Integer> replies = new ArrayList<>();
        List<SctpPacket> out = new ArrayList<>();
        for (var o = p.b.pollTransmit(); o.isPresent(); o = p.b.pollTransmit()) {
            SctpPacket reply = SctpPacket.parse(o.get());
            out.add(reply);
            reply.chunks().forEach(c -> replies.add(c.type()));
        }
        assertThat(replies.contains(ChunkTypes.HEARTBEAT_ACK)).as("processing continued").isEqualTo(continues);
        assertThat(replies.contains(ChunkTypes.ERROR)).as("reported").isEqualTo(reports);
        if (reports) {
            ErrorChunk e = (ErrorChunk) out.stream().flatMap(s -> s.chunks().stream()).filter(c -> c instanceof ErrorChunk).findFirst()
                    .orElseThrow();
            UnrecognizedChunkTypeCause cause = (UnrecognizedChunkTypeCause) e.causes().get(0);
            assertThat(cause.chunk()).containsExactly(type, 0, 0, 7, 1, 2, 3);
        }
        assertThat(p.b.state()).isEqualTo(SctpState.ESTABLISHED);
    }

    static long peerTagOf(SctpAssociation a) {
        return a.peerVerificationTag();
    }
}
