package io.jrtc.mesh.internal.wire;

import io.jrtc.mesh.AgentId;
import java.nio.ByteBuffer;

/** A message's identity: its origin and the origin's sequence number. 24 bytes on the wire. */
public record MessageId(AgentId origin, long sequence) {

    public static final int LENGTH = AgentId.LENGTH + 8;

    static MessageId read(ByteBuffer in) {
        return new MessageId(AgentId.read(in), in.getLong());
    }

    void writeTo(ByteBuffer out) {
        origin.writeTo(out);
        out.putLong(sequence);
    }

    @Override
    public String toString() {
        return origin.shortString() + "/" + sequence;
    }
}
