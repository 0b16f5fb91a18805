package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * IHAVE: Plumtree lazy push: the sender holds these broadcasts; the receiver GRAFTs any it misses after a timeout.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type = 0x08  |   Count (N, 1..2048)          |  N x (origin id 16 bytes, sequence 8 bytes)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record IHaveFrame(List<MessageId> ids) implements Frame {

    public IHaveFrame {
        ids = List.copyOf(ids);
        WireLists.checkMessages(ids);
    }

    static IHaveFrame parse(ByteBuffer in) throws ParseException {
        Frame.expectType(in, IHAVE, "IHAVE", 3);
        return new IHaveFrame(WireLists.readMessages(in, "IHAVE"));
    }

    @Override
    public int type() {
        return IHAVE;
    }

    @Override
    public int encodedLength() {
        return 3 + ids.size() * MessageId.LENGTH;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) IHAVE);
        WireLists.writeMessages(out, ids);
    }
}
