package io.jrtc.mesh.internal.wire;

import io.jrtc.common.ParseException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * GRAFT: Plumtree tree repair: send me these broadcasts, and push eagerly to me from now on. Since protocol version 5
 * the list may be empty: a tree optimisation moves the tree onto this link without asking for any payload.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Type = 0x09  |   Count (N, 0..2048)          |  N x (origin id 16 bytes, sequence 8 bytes)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record GraftFrame(List<MessageId> ids) implements Frame {

    /** An empty GRAFT: push eagerly to me from now on; nothing to resend. */
    public static final GraftFrame TREE_ONLY = new GraftFrame(List.of());

    public GraftFrame {
        ids = List.copyOf(ids);
        WireLists.checkMessages(ids, true);
    }

    static GraftFrame parse(ByteBuffer in) throws ParseException {
        Frame.expectType(in, GRAFT, "GRAFT", 3);
        return new GraftFrame(WireLists.readMessages(in, "GRAFT", true));
    }

    @Override
    public int type() {
        return GRAFT;
    }

    @Override
    public int encodedLength() {
        return 3 + ids.size() * MessageId.LENGTH;
    }

    @Override
    public void writeTo(ByteBuffer out) {
        out.put((byte) GRAFT);
        WireLists.writeMessages(out, ids);
    }
}
