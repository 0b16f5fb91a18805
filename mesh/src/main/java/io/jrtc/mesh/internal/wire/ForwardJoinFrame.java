package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseError;
import io.jrtc.common.ParseException;
import io.jrtc.mesh.AgentId;
import java.nio.ByteBuffer;

/**
 * FORWARD_JOIN (HyParView): a random walk announcing a newcomer. Each hop decrements {@code ttl}; the agent where it
 * reaches 0 (or that has at most one neighbour) opens a link to the newcomer, and the agent where it equals the
 * passive walk length keeps the newcomer in its passive view.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type = 0x02  |      TTL      |  newcomer agent id (16 bytes)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record ForwardJoinFrame(int ttl, AgentId newcomer) implements Frame {

    public ForwardJoinFrame {
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("ttl " + ttl);
        }
    }

    static ForwardJoinFrame parse(ByteBuffer in) throws ParseException {
        Frame.expectType(in, FORWARD_JOIN, "FORWARD_JOIN", 2 + AgentId.LENGTH);
        int ttl = in.get() & 0xff;
        if (ttl > 32) {
            throw new ParseException(ParseError.INVALID_VALUE, "FORWARD_JOIN ttl " + ttl + " above 32");
        }
        return new ForwardJoinFrame(ttl, AgentId.read(in));
    }

    @Override
    public int type() {
        return FORWARD_JOIN;
    }

    @Override
    public int encodedLength() {
        return 2 + AgentId.LENGTH;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) FORWARD_JOIN).put((byte) ttl);
        newcomer.writeTo(out);
    }
}
