package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseException;
import io.jrtc.mesh.AgentId;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * SHUFFLE: a sample of the sender's views (itself first) offered for the receiver's passive view (HyParView shuffle, one hop; the receiver answers with a SHUFFLE_REPLY of its own sample).
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type = 0x06  |   Count (N)   |  N x agent id (16 bytes)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record ShuffleFrame(List<AgentId> agents) implements Frame {

    public ShuffleFrame {
        agents = List.copyOf(agents);
        WireLists.checkAgents(agents);
    }

    static ShuffleFrame parse(ByteBuffer in) throws ParseException {
        Frame.expectType(in, SHUFFLE, "SHUFFLE", 2);
        return new ShuffleFrame(WireLists.readAgents(in, "SHUFFLE"));
    }

    @Override
    public int type() {
        return SHUFFLE;
    }

    @Override
    public int encodedLength() {
        return 2 + agents.size() * AgentId.LENGTH;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) SHUFFLE);
        WireLists.writeAgents(out, agents);
    }
}
