package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseException;
import io.jrtc.mesh.AgentId;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * SHUFFLE_REPLY: the answer to a SHUFFLE: a sample of the replier's views for the sender's passive view.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type = 0x07  |   Count (N)   |  N x agent id (16 bytes)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record ShuffleReplyFrame(List<AgentId> agents) implements Frame {

    public ShuffleReplyFrame {
        agents = List.copyOf(agents);
        WireLists.checkAgents(agents);
    }

    static ShuffleReplyFrame parse(ByteBuffer in) throws ParseException {
        Frame.expectType(in, SHUFFLE_REPLY, "SHUFFLE_REPLY", 2);
        return new ShuffleReplyFrame(WireLists.readAgents(in, "SHUFFLE_REPLY"));
    }

    @Override
    public int type() {
        return SHUFFLE_REPLY;
    }

    @Override
    public int encodedLength() {
        return 2 + agents.size() * AgentId.LENGTH;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) SHUFFLE_REPLY);
        WireLists.writeAgents(out, agents);
    }
}
